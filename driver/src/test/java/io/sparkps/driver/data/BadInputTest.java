package io.sparkps.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.CsvOptions;
import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.model.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input fails before training, naming file, line (or offset) and value. */
class BadInputTest {
  private static final CsvOptions CSV = new CsvOptions(',', 0, true, "y");

  private final SparkDataLoader loader = new SparkDataLoader(SparkTestSession.get());

  @TempDir
  Path dir;

  private Path write(String name, String... lines) {
    try {
      return Files.write(dir.resolve(name), List.of(lines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private DataFormatException fails(Path path, CsvOptions csv, Task task) {
    return assertThrows(DataFormatException.class, () -> loader.load(
        LoadRequest.of(path.toString(), task, 2).withFormat(SourceFormat.CSV).withCsv(csv)));
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void malformedRowNamesFileLineAndRow() {
    Path f = write("short.csv", "a,b,y", "1,2,0", "3,4,1", "5,1", "6,7,0");
    assertMentions(fails(f, CSV, Task.BINARY), f.toString(), "line 4", "expected 3 columns",
        "'5,1'");
  }

  @Test
  void nonNumericValueNamesColumnAndValue() {
    Path f = write("text.csv", "a,b,y", "1,2,0", "3,abc,1");
    assertMentions(fails(f, CSV, Task.BINARY), f.toString(), "line 3", "column b", "'abc'");
  }

  @Test
  void missingLabelIsNamed() {
    Path f = write("nolabel.csv", "a,b,y", "1,2,0", "3,4,");
    assertMentions(fails(f, CSV, Task.BINARY), f.toString(), "line 3", "label", "missing");
  }

  @Test
  void nanAndInfinityAreRefused() {
    Path nan = write("nan.csv", "a,b,y", "1,2,0", "NaN,4,1");
    assertMentions(fails(nan, CSV, Task.BINARY), nan.toString(), "line 3", "column a", "NaN");
    Path inf = write("inf.csv", "a,b,y", "1,2,0", "3,-Infinity,1");
    assertMentions(fails(inf, CSV, Task.BINARY), inf.toString(), "line 3", "-Infinity");
    Path label = write("nanlabel.csv", "a,b,y", "1,2,0.5", "3,4,NaN");
    assertMentions(fails(label, CSV, Task.REGRESSION), label.toString(), "line 3", "NaN");
  }

  @Test
  void featureCountThatDiffersBetweenFilesFails() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("parts"));
    Files.write(sub.resolve("part-0.csv"), List.of("a,b,y", "1,2,0", "3,4,1"));
    Files.write(sub.resolve("part-1.csv"), List.of("a,y", "1,0", "3,1"));
    DataFormatException e = fails(sub, CSV, Task.BINARY);
    assertMentions(e, "part-1.csv", "line 1");
    Files.write(sub.resolve("part-1.csv"), List.of("a,b,y", "1,2,0", "3,4,1,9"));
    assertMentions(fails(sub, new CsvOptions(',', 0, true, "y"), Task.BINARY), "part-1.csv",
        "line 3", "expected 3 columns, found 4");
    Files.write(sub.resolve("part-1.csv"), List.of("a,b,y", "1,2", "3,4"));
    assertMentions(fails(sub, CSV, Task.BINARY), "part-1.csv", "first data row has 2 columns");
  }

  @Test
  void emptyDatasetAndMissingLabelColumnFailBeforeTraining() {
    Path empty = write("empty.csv", "a,b,y");
    assertMentions(fails(empty, CSV, Task.BINARY), "no data rows");
    Path blank = write("blank.csv", "a,b,y", "", "  ");
    assertMentions(fails(blank, CSV, Task.BINARY), "no data rows");
    Path f = write("ok.csv", "a,b,y", "1,2,0");
    assertMentions(fails(f, CSV.withLabel("target"), Task.BINARY), "label column 'target' does "
        + "not exist", "[a, b, y]");
  }

  @Test
  void badRowInALaterSplitIsNamedByByteOffsetAndText() {
    org.apache.hadoop.conf.Configuration conf = SparkTestSession.get().sparkContext()
        .hadoopConfiguration();
    conf.setLong(TextInput.MIN_SPLIT_KEY, 1024);
    try {
      badRowInALaterSplit();
    } finally {
      conf.unset(TextInput.MIN_SPLIT_KEY);
    }
  }

  private void badRowInALaterSplit() {
    String[] lines = new String[2001];
    lines[0] = "a,b,y";
    for (int i = 1; i < lines.length; i++) {
      lines[i] = i + "," + (i % 7) + "," + (i % 2);
    }
    lines[1900] = "1900,oops,0";
    Path f = write("big.csv", lines);
    DataFormatException e = fails(f, CSV, Task.BINARY);
    long offset = 0;
    for (int i = 0; i < 1900; i++) {
      offset += lines[i].length() + 1;
    }
    assertMentions(e, f.toString(), "byte offset " + offset, "'oops'", "'1900,oops,0'");
  }

  @Test
  void skipPolicyLeavesOutAndCountsEveryBadRow() {
    Path f = write("mixed.csv", "a,b,y", "1,2,0", "x,2,1", "3,4,1", "5,6", "7,8,",
        "NaN,1,0", "9,10,1", "11,12,0", "1e40,1,1");
    SparkDataset ds = loader.load(LoadRequest.of(f.toString(), Task.BINARY, 2)
        .withCsv(CSV).withBadRows(BadRowPolicy.SKIP));
    assertEquals(5, ds.skippedRows());
    assertEquals(4, ds.trainRows());
    assertEquals(List.of("0", "1"), ds.classes());
    ds.unpersist();
  }

  @Test
  void skipPolicyCountsBadRowsExactlyAcrossSplits() {
    org.apache.hadoop.conf.Configuration conf = SparkTestSession.get().sparkContext()
        .hadoopConfiguration();
    conf.setLong(TextInput.MIN_SPLIT_KEY, 1024);
    try {
      skipAcrossSplits();
    } finally {
      conf.unset(TextInput.MIN_SPLIT_KEY);
    }
  }

  private void skipAcrossSplits() {
    String[] lines = new String[3001];
    lines[0] = "a,b,y";
    int bad = 0;
    for (int i = 1; i < lines.length; i++) {
      boolean broken = i % 97 == 0;
      lines[i] = broken ? i + ",," + (i % 2) : i + "," + (i % 5) + "," + (i % 2);
      bad += broken ? 1 : 0;
    }
    Path f = write("many.csv", lines);
    SparkDataset ds = loader.load(LoadRequest.of(f.toString(), Task.BINARY, 3)
        .withCsv(CSV).withBadRows(BadRowPolicy.SKIP).withValidation(0.25, 7));
    assertEquals(bad, ds.skippedRows());
    assertEquals(3000 - bad, ds.trainRows() + ds.validationRows());
    ds.unpersist();
  }

  @Test
  void badLibSvmRowsAreNamed() {
    Path f = write("bad.svm", "1 1:0.5 2:1", "0 1:0.25 3:x");
    DataFormatException e = assertThrows(DataFormatException.class, () -> loader.load(
        LoadRequest.of(f.toString(), Task.BINARY, 2)));
    assertMentions(e, f.toString(), "line 2", "'3:x'");
    Path g = write("wide.svm", "1 1:0.5 2:1", "0 1:0.25 7:1");
    assertMentions(assertThrows(DataFormatException.class, () -> loader.load(
        LoadRequest.of(g.toString(), Task.BINARY, 2).withLibSvmFeatures(3))), "line 2",
        "feature index 7", "feature count 3");
  }

  @Test
  void unknownClassOfATrainedModelIsNamed() {
    Path f = write("classes.csv", "a,b,y", "1,2,cat", "3,4,dog", "5,6,cow");
    io.sparkps.core.data.LabelEncoder enc = io.sparkps.core.data.LabelEncoder.forClasses(
        Task.BINARY, List.of("cat", "dog"));
    DataFormatException e = assertThrows(DataFormatException.class, () -> loader.load(
        LoadRequest.of(f.toString(), Task.BINARY, 2).withCsv(CSV)
            .withLabels(LabelSpec.trained(enc))));
    assertMentions(e, f.toString(), "line 4", "'cow'");
  }
}
