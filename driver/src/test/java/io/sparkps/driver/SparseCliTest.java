package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.data.FeatureHashing;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelFile;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.SparseLinearSpec;
import io.sparkps.driver.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sparse data from the command line: a CSV with string columns trained with --categorical, then
 * evaluated and scored from the raw rows with the model's own hashing; LibSVM kept sparse, with
 * bad indices named by file, line and index.
 */
class SparseCliTest {

  @BeforeAll
  static void sharedSession() {
    io.sparkps.driver.data.SparkTestSession.get();
  }

  /** Clicks: a count with missing values, two categorical columns whose pair decides. */
  static Path clicks(Path dir, int rows, long seed) throws Exception {
    SplittableRandom rng = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder("clicked,visits,site,app\n");
    String[] sites = {"news", "sport", "shop", "mail", "video", "blog"};
    String[] apps = {"a1", "a2", "a3", "a4", ""};
    for (int i = 0; i < rows; i++) {
      int s = rng.nextInt(sites.length);
      int a = rng.nextInt(apps.length);
      int visits = rng.nextInt(4) == 0 ? -1 : rng.nextInt(50);
      double score = (s % 2 == a % 2 ? 1.8 : -1.8) + (visits > 20 ? 0.5 : 0);
      int y = rng.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
      sb.append(y).append(',').append(visits < 0 ? "" : Integer.toString(visits)).append(',')
          .append(sites[s]).append(',').append(apps[a]).append('\n');
    }
    Path f = dir.resolve("clicks-" + seed + ".csv");
    Files.writeString(f, sb);
    return f;
  }

  @Test
  void categoricalCsvTrainsEvaluatesAndPredictsFromRawRows(@TempDir Path tmp) throws Exception {
    Path train = clicks(tmp, 1500, 1);
    Path test = clicks(tmp, 400, 2);
    Path model = tmp.resolve("fm");
    Run t = CliTest.run("train", "--data", train.toString(), "--label", "clicked",
        "--categorical", "site,app", "--hash-bits", "12", "--model", "fm", "--factors", "4",
        "--epochs", "8", "--workers", "2", "--out", model.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("training fm 2^12 keys x 5"), t.err());
    LoadedModel m = ModelFile.read(model);
    assertTrue(m.header().spec() instanceof FmSpec, m.header().spec().toString());
    FeatureHashing h = m.header().featureHashing().orElseThrow();
    assertEquals(List.of("visits", "site", "app"), h.columns());
    assertEquals(List.of("site", "app"), h.categorical());
    assertEquals(12, h.hashBits());
    String json = Files.readString(model.resolve("model.json"));
    assertTrue(json.contains("\"type\" : \"fm\"") && json.contains("\"hashing\""), json);

    Run e = CliTest.run("evaluate", "--model", model.toString(), "--data", test.toString(),
        "--label", "clicked", "--json");
    assertEquals(0, e.code(), e.err());
    JsonNode metrics = new ObjectMapper().readTree(e.out());
    assertTrue(metrics.get("auc").asDouble() > 0.8, "the fm learned the pairs: " + metrics);

    Path out = tmp.resolve("pred");
    Run p = CliTest.run("predict", "--model", model.toString(), "--data", test.toString(),
        "--label", "clicked", "--out", out.toString());
    assertEquals(0, p.code(), p.err());
    List<String> lines = new ArrayList<>();
    try (var files = Files.list(out)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    assertTrue(lines.get(0).endsWith("prediction,predictedLabel,probability_0,probability_1"),
        lines.get(0));
    long scored = lines.stream().filter(l -> !l.startsWith("clicked")).count();
    assertEquals(400, scored);
    long right = lines.stream().filter(l -> !l.startsWith("clicked"))
        .filter(l -> l.split(",", -1)[0].equals(l.split(",", -1)[5])).count();
    assertTrue(right > 400 * 0.7, right + " of 400 predicted right");
  }

  @Test
  void logisticOnHashedRowsIsSparseAndAWordInANumericColumnSuggestsCategorical(
      @TempDir Path tmp) throws Exception {
    Path train = clicks(tmp, 600, 3);
    Path model = tmp.resolve("lr");
    Run t = CliTest.run("train", "--data", train.toString(), "--label", "clicked",
        "--categorical", "site,app", "--hash-bits", "10", "--epochs", "2", "--workers", "2",
        "--out", model.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(ModelFile.read(model).header().spec() instanceof SparseLinearSpec);

    Run bad = CliTest.run("train", "--data", train.toString(), "--label", "clicked",
        "--categorical", "site", "--epochs", "1");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains(train.toString()) && bad.err().contains("line 2")
        && bad.err().contains("column app holds") && bad.err().contains("--categorical"),
        bad.err());

    Run noSuch = CliTest.run("train", "--data", train.toString(), "--label", "clicked",
        "--categorical", "site,device", "--epochs", "1");
    assertEquals(2, noSuch.code(), noSuch.err());
    assertTrue(noSuch.err().contains("--categorical names column 'device', which is not a "
        + "feature column"), noSuch.err());
  }

  @Test
  void parquetSparseVectorsTrainSparseWeights(@TempDir Path tmp) throws Exception {
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(9);
    for (int i = 0; i < 600; i++) {
      int a = rng.nextInt(1 << 17);
      int b = (1 << 17) + rng.nextInt(1 << 17);
      rows.add(org.apache.spark.sql.RowFactory.create(org.apache.spark.ml.linalg.Vectors.sparse(
          1 << 18, new int[] {a, b}, new double[] {1, 2}), (double) (a % 2)));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
        .add("label", org.apache.spark.sql.types.DataTypes.DoubleType);
    Path data = tmp.resolve("hashed.parquet");
    io.sparkps.driver.data.SparkTestSession.get().createDataFrame(rows, schema).write()
        .parquet(data.toString());
    Path model = tmp.resolve("lr");
    Run t = CliTest.run("train", "--data", data.toString(), "--label", "label", "--epochs", "2",
        "--workers", "2", "--out", model.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("sparse rows of 262,144 features"), t.err());
    assertTrue(ModelFile.read(model).header().spec() instanceof SparseLinearSpec);
  }

  @Test
  void libSvmStaysSparseAndBadIndicesNameFileLineAndIndex(@TempDir Path tmp) throws Exception {
    Path ok = tmp.resolve("ok.libsvm");
    StringBuilder sb = new StringBuilder();
    SplittableRandom rng = new SplittableRandom(4);
    for (int i = 0; i < 400; i++) {
      int a = 1 + rng.nextInt(50000);
      int b = a + 1 + rng.nextInt(50000);
      sb.append(a % 2).append(' ').append(a).append(":1 ").append(b).append(":0.5\n");
    }
    Files.writeString(ok, sb);
    Path model = tmp.resolve("lr");
    Run t = CliTest.run("train", "--data", ok.toString(), "--features", "100000", "--epochs",
        "3", "--workers", "2", "--out", model.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("training logistic 100000 keys x 1"), t.err());
    assertEquals(100001, ModelFile.read(model).params().length, "sparse weights, one bias");

    Path unsorted = tmp.resolve("bad.libsvm");
    Files.writeString(unsorted, "1 3:1 9:2\n0 7:1 4:1\n");
    Run bad = CliTest.run("train", "--data", unsorted.toString(), "--epochs", "1");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("bad.libsvm") && bad.err().contains("line 2")
        && bad.err().contains("index 4 after 7"), bad.err());
    Path wide = tmp.resolve("wide.libsvm");
    Files.writeString(wide, "1 3:1 9:2\n0 7:1 12:1\n");
    Run over = CliTest.run("train", "--data", wide.toString(), "--features", "10", "--epochs",
        "1");
    assertEquals(2, over.code(), over.err());
    assertTrue(over.err().contains("line 2") && over.err().contains("feature index 12 is above "
        + "the feature count 10"), over.err());
  }
}
