package io.sparkps.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.TestData;
import io.sparkps.core.data.CsvOptions;
import io.sparkps.core.data.Dataset;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.LocalDataReader;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.Task;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** Loading through Spark gives the rows, labels and standardization of the in-process reader. */
class SparkDataLoaderTest {
  private static final CsvOptions SKLEARN = new CsvOptions(',', 1, false, "-1");

  private final SparkDataLoader loader = new SparkDataLoader(SparkTestSession.get());

  @Test
  void csvWithCountLineMatchesTheLocalReader() {
    Path file = TestData.dir().resolve("breast_cancer.csv");
    Dataset local = LocalDataReader.readCsv(file, SKLEARN, Task.BINARY);
    SparkDataset ds = loader.load(LoadRequest.of(file.toString(), Task.BINARY, 2)
        .withCsv(SKLEARN).withStandardization(Standardization.none()));
    assertSameRows(local, ds, 0);
    assertEquals(local.featureNames(), ds.featureNames());
    assertEquals(local.classes(), ds.classes());
    assertCachedBlocks(ds.train(), 2);
    ds.unpersist();
  }

  @Test
  void standardizedCsvWithHeaderAndNamedLabelMatchesTheLocalReader() {
    Path file = TestData.dir().resolve("boston_house_prices.csv");
    CsvOptions csv = new CsvOptions(',', 1, true, "MEDV");
    Dataset local = LocalDataReader.readCsv(file, csv, Task.REGRESSION);
    Standardizer std = Standardizer.fit(local.block());
    std.applyInPlace(local.block());
    SparkDataset ds = loader.load(LoadRequest.of("file://" + file, Task.REGRESSION, 3)
        .withFormat(SourceFormat.CSV).withCsv(csv));
    assertArrayEquals(std.mean(), ds.standardizer().mean(), 1e-9);
    assertArrayEquals(std.scale(), ds.standardizer().scale(), 1e-9);
    assertSameRows(local, ds, 1e-5);
    assertEquals(local.featureNames(), ds.featureNames());
    assertCachedBlocks(ds.train(), 3);
    ds.unpersist();
  }

  @Test
  void gzipCsvMatchesTheLocalReader() {
    Path file = TestData.dir().resolve("digits.csv.gz");
    CsvOptions csv = new CsvOptions(',', 0, false, "-1");
    Dataset local = LocalDataReader.readCsv(file, csv, Task.MULTICLASS);
    SparkDataset ds = loader.load(LoadRequest.of(file.toString(), Task.MULTICLASS, 2)
        .withCsv(csv).withStandardization(Standardization.none()));
    assertSameRows(local, ds, 0);
    assertEquals(10, ds.classes().size());
    ds.unpersist();
  }

  @Test
  void libSvmMatchesTheLocalReader() {
    Path file = TestData.dir().resolve("heart_scale");
    Dataset local = LocalDataReader.readLibSvm(file, Task.BINARY, 0);
    Standardizer std = Standardizer.fit(local.block());
    std.applyInPlace(local.block());
    SparkDataset ds = loader.load(LoadRequest.of(file.toString(), Task.BINARY, 2));
    assertSameRows(local, ds, 1e-5);
    assertEquals(local.featureNames(), ds.featureNames());
    assertEquals(List.of("-1", "+1"), ds.classes());
    ds.unpersist();
  }

  static void assertSameRows(Dataset local, SparkDataset ds, double tolerance) {
    ExampleBlock b = local.block();
    assertEquals(b.rows(), ds.trainRows() + ds.validationRows());
    assertEquals(0, ds.skippedRows());
    assertEquals(b.cols(), ds.features());
    List<float[]> expected = Blocks.sorted(Blocks.rows(b));
    List<float[]> actual = Blocks.sorted(Blocks.rows(ds.train()));
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), (float) tolerance, "row " + i);
    }
  }

  /**
   * One block per requested partition, rows spread evenly, cached serialized in memory and disk
   * (with Kryo registration required by the test session).
   */
  static void assertCachedBlocks(org.apache.spark.api.java.JavaRDD<? extends io.sparkps.core.data.Block> blocks,
      int partitions) {
    assertEquals(partitions, blocks.getNumPartitions());
    assertEquals(StorageLevel.MEMORY_AND_DISK(), blocks.getStorageLevel());
    List<Integer> rows = blocks.glom().map(l -> {
      if (l.size() != 1) {
        throw new AssertionError("a partition holds " + l.size() + " blocks, not 1");
      }
      return l.get(0).rows();
    }).collect();
    int min = rows.stream().mapToInt(Integer::intValue).min().orElseThrow();
    int max = rows.stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertTrue(max - min <= 3, "rows per partition " + rows);
    RDD<?> rdd = blocks.rdd();
    RDDInfo info = java.util.Arrays.stream(SparkTestSession.get().sparkContext()
        .getRDDStorageInfo()).filter(i -> i.id() == rdd.id()).findFirst().orElseThrow();
    assertEquals(partitions, info.numCachedPartitions());
  }
}
