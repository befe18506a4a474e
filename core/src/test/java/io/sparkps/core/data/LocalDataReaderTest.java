package io.sparkps.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.TestData;
import io.sparkps.core.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDataReaderTest {
  @TempDir
  Path tmp;

  private Path write(String name, String text) throws Exception {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private DataFormatException csvError(String text, Task task) throws Exception {
    Path p = write("d.csv", text);
    return assertThrows(DataFormatException.class,
        () -> LocalDataReader.readCsv(p, CsvOptions.defaults(), task));
  }

  @Test
  void readsHeaderNamesClassNamesAndFeatures() throws Exception {
    Path p = write("d.csv", "x1,x2,kind\n1.5,-2,cat\n0,3e2,dog\n\n4,5,cat\n");
    Dataset d = LocalDataReader.readCsv(p, CsvOptions.defaults(), Task.BINARY);
    assertEquals(List.of("x1", "x2"), d.featureNames());
    assertEquals(List.of("cat", "dog"), d.classes());
    assertEquals(3, d.block().rows());
    assertArrayEquals(new float[] {1.5f, -2f, 0f, 300f, 4f, 5f}, d.block().features());
    assertArrayEquals(new float[] {0, 1, 0}, d.block().labels());
  }

  @Test
  void labelColumnByNameOrIndexAnywhere() throws Exception {
    Path p = write("d.csv", "y,a,b\n1,2,3\n-1,5,6\n");
    Dataset byName = LocalDataReader.readCsv(p, CsvOptions.defaults().withLabel("y"), Task.BINARY);
    Dataset byIndex = LocalDataReader.readCsv(p, CsvOptions.defaults().withLabel("0"), Task.BINARY);
    assertArrayEquals(new float[] {2, 3, 5, 6}, byName.block().features());
    assertArrayEquals(new float[] {1, 0}, byName.block().labels(), "-1/+1 map to 0/1");
    assertArrayEquals(byName.block().labels(), byIndex.block().labels());
  }

  @Test
  void nonNumericFeatureNamesFileLineColumnAndValue() throws Exception {
    DataFormatException e = csvError("a,b,y\n1,2,0\n3,abc,1\n", Task.BINARY);
    assertTrue(e.getMessage().endsWith("d.csv, line 3: column b holds 'abc', which is not a "
        + "number; features must be numeric, or name the column in --categorical to hash its "
        + "values as categories"), e.getMessage());
    assertEquals(3, e.line());
  }

  @Test
  void nanAndInfinityAreRejected() throws Exception {
    assertTrue(csvError("a,y\nNaN,0\n", Task.BINARY).getMessage()
        .contains("line 2: column a holds NaN; features must be finite"));
    assertTrue(csvError("a,y\n1,0\nInfinity,1\n", Task.BINARY).getMessage()
        .contains("line 3: column a holds Infinity"));
  }

  @Test
  void missingLabelAndWrongColumnCountAreRejected() throws Exception {
    assertTrue(csvError("a,b,y\n1,2,\n", Task.BINARY).getMessage()
        .contains("line 2: the label (column y) is missing"));
    assertTrue(csvError("a,b,y\n1,2,0\n1,2\n", Task.BINARY).getMessage()
        .contains("line 3: expected 3 columns, found 2"));
  }

  @Test
  void unknownLabelColumnListsTheColumns() throws Exception {
    Path p = write("d.csv", "a,b\n1,0\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> LocalDataReader.readCsv(p, CsvOptions.defaults().withLabel("target"), Task.BINARY));
    assertTrue(e.getMessage().contains("label column 'target' does not exist; the columns are "
        + "[a, b]"), e.getMessage());
  }

  @Test
  void emptyFileAndThreeClassesForBinaryAreRejected() throws Exception {
    assertTrue(csvError("a,y\n", Task.BINARY).getMessage().contains("no data rows"));
    assertTrue(csvError("a,y\n1,r\n2,g\n3,b\n", Task.BINARY).getMessage()
        .contains("binary classification needs 2 classes, found 3"));
  }

  @Test
  void regressionLabelsMustBeNumbers() throws Exception {
    assertTrue(csvError("a,y\n1,2.5\n2,high\n", Task.REGRESSION).getMessage()
        .contains("row 2 (after 1 header line(s)): For input string"));
  }

  @Test
  void readsLibSvmHeartScale() {
    Dataset d = LocalDataReader.readLibSvm(TestData.dir().resolve("heart_scale"), Task.BINARY, 0);
    assertEquals(270, d.block().rows());
    assertEquals(13, d.block().cols());
    assertEquals(List.of("-1", "+1"), d.classes());
    // first line: "+1 1:0.708333 2:1 3:1 4:-0.320755 ..."
    assertEquals(0.708333f, d.block().feature(0, 0), 1e-6f);
    assertEquals(1f, d.block().labels()[0]);
  }

  @Test
  void libSvmErrorsNameTheLineAndToken() throws Exception {
    Path p = write("d.svm", "1 1:0.5 2:1\n0 3:1 2:4\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> LocalDataReader.readLibSvm(p, Task.BINARY, 0));
    assertTrue(e.getMessage().endsWith("d.svm, line 2: index 2 after 3; indices must be 1-based "
        + "and strictly increasing (sort each row's index:value pairs by index and merge "
        + "repeated indices)"), e.getMessage());
    Path z = write("z.svm", "1 0:1\n");
    assertTrue(assertThrows(DataFormatException.class,
        () -> LocalDataReader.readLibSvm(z, Task.BINARY, 0)).getMessage()
        .endsWith("z.svm, line 1: index 0 is below 1; LibSVM indices are 1-based (add 1 to every "
            + "index of a 0-based file)"));
    Path q = write("e.svm", "1 1:x\n");
    assertTrue(assertThrows(DataFormatException.class,
        () -> LocalDataReader.readLibSvm(q, Task.BINARY, 0)).getMessage()
        .contains("line 1: '1:x' is not index:value"));
  }

  @Test
  void modelClassesEncodeNewDataTheSameWay() throws Exception {
    Path p = write("d.csv", "a,kind\n1,dog\n2,dog\n");
    LabelEncoder enc = LabelEncoder.forClasses(Task.BINARY, List.of("cat", "dog"));
    Dataset d = LocalDataReader.readCsv(p, CsvOptions.defaults(), enc);
    assertArrayEquals(new float[] {1, 1}, d.block().labels());
  }

  @Test
  void aHeaderNarrowerThanTheDataIsExplained() throws Exception {
    // scikit-learn's count line read as a header: 4 names over rows of 5 columns
    DataFormatException e = csvError("150,4,setosa,versicolor\n5.1,3.5,1.4,0.2,0\n",
        Task.MULTICLASS);
    assertTrue(e.getMessage().contains("line 1: the header has 4 columns but the first data line "
        + "has 5; check --skip-lines and --no-header"), e.getMessage());
  }
}
