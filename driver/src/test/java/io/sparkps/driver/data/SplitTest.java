package io.sparkps.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.TestData;
import io.sparkps.core.data.CsvOptions;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.LocalDataReader;
import io.sparkps.core.model.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The validation split is seeded, deterministic, disjoint and about the fraction. */
class SplitTest {
  private static final String DIGITS = TestData.dir().resolve("digits.csv.gz").toString();
  private static final CsvOptions CSV = new CsvOptions(',', 0, false, "-1");

  private final SparkDataLoader loader = new SparkDataLoader(SparkTestSession.get());

  private SparkDataset load(long seed, Standardization std) {
    return loader.load(LoadRequest.of(DIGITS, Task.MULTICLASS, 2).withCsv(CSV)
        .withValidation(0.2, seed).withStandardization(std));
  }

  private static Set<List<Float>> set(List<float[]> rows) {
    Set<List<Float>> s = new HashSet<>();
    for (float[] r : rows) {
      List<Float> l = new ArrayList<>(r.length);
      for (float v : r) {
        l.add(v);
      }
      s.add(l);
    }
    return s;
  }

  @Test
  void sameSeedSameSplitInTheSameOrder() {
    SparkDataset a = load(11, Standardization.none());
    SparkDataset b = load(11, Standardization.none());
    SparkDataset c = load(12, Standardization.none());
    List<float[]> aTrain = Blocks.rows(a.train());
    List<float[]> aVal = Blocks.rows(a.validation());
    assertEquals(1797, aTrain.size() + aVal.size());
    assertEquals(a.validationRows(), aVal.size());
    assertTrue(Math.abs(aVal.size() - 0.2 * 1797) < 70, "validation rows " + aVal.size());
    List<float[]> bTrain = Blocks.rows(b.train());
    assertEquals(aTrain.size(), bTrain.size());
    for (int i = 0; i < aTrain.size(); i++) {
      assertTrue(Arrays.equals(aTrain.get(i), bTrain.get(i)), "row " + i + " differs");
    }
    assertEquals(set(aVal), set(Blocks.rows(b.validation())));
    List<float[]> both = new ArrayList<>(aTrain);
    both.addAll(aVal);
    List<float[]> all = Blocks.sorted(Blocks.rows(LocalDataReader.readCsv(Path.of(DIGITS), CSV,
        Task.MULTICLASS).block()));
    List<float[]> union = Blocks.sorted(both);
    for (int i = 0; i < all.size(); i++) {
      assertTrue(Arrays.equals(all.get(i), union.get(i)), "every row is in exactly one split");
    }
    assertNotEquals(set(aVal), set(Blocks.rows(c.validation())));
    SparkDataLoaderTest.assertCachedBlocks(a.validation(), 2);
    a.unpersist();
    b.unpersist();
    c.unpersist();
  }

  @Test
  void standardizationIsFittedOnTheTrainingRowsOnly() {
    SparkDataset ds = load(5, Standardization.fitOnTrain());
    List<float[]> train = Blocks.rows(ds.train());
    int d = ds.features();
    for (int j = 0; j < d; j++) {
      double sum = 0;
      double sumSq = 0;
      for (float[] r : train) {
        sum += r[j];
        sumSq += (double) r[j] * r[j];
      }
      double mean = sum / train.size();
      double var = sumSq / train.size() - mean * mean;
      assertEquals(0, mean, 1e-5, "mean of feature " + j);
      boolean constant = ds.standardizer().scale()[j] == 1.0;
      assertEquals(constant ? 0 : 1, var, 1e-4, "variance of feature " + j);
    }
    io.sparkps.core.data.Block any = ds.validation().first();
    assertEquals(d, any.cols());
    ds.unpersist();
  }
}
