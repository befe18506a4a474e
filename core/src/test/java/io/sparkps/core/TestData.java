package io.sparkps.core;

import io.sparkps.core.data.CsvOptions;
import io.sparkps.core.data.Dataset;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.LocalDataReader;
import io.sparkps.core.model.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The small real datasets bundled in {@code notebooks-data/data} (see its README). */
public final class TestData {
  private TestData() {
  }

  /** The bundled data folder, found from the module or the repository root. */
  public static Path dir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path d = p.resolve("notebooks-data/data");
      if (Files.isDirectory(d)) {
        return d;
      }
    }
    throw new IllegalStateException("notebooks-data/data not found above " + Path.of("")
        .toAbsolutePath());
  }

  /** scikit-learn's CSV layout: a count line first, no header, the class index last. */
  private static Dataset sklearn(String file, Task task) {
    return LocalDataReader.readCsv(dir().resolve(file), new CsvOptions(',', 1, false, "-1"), task);
  }

  public static Dataset iris() {
    return sklearn("iris.csv", Task.MULTICLASS);
  }

  public static Dataset wine() {
    return sklearn("wine_data.csv", Task.MULTICLASS);
  }

  public static Dataset breastCancer() {
    return sklearn("breast_cancer.csv", Task.BINARY);
  }

  public static Dataset digits() {
    return LocalDataReader.readCsv(dir().resolve("digits.csv.gz"),
        new CsvOptions(',', 0, false, "-1"), Task.MULTICLASS);
  }

  /** Boston housing: a count line, a header line, MEDV last. */
  public static Dataset boston() {
    return LocalDataReader.readCsv(dir().resolve("boston_house_prices.csv"),
        new CsvOptions(',', 1, true, "MEDV"), Task.REGRESSION);
  }

  /** Diabetes, raw features: features and targets in two space-separated gzip files. */
  public static ExampleBlock diabetes() {
    List<String> x = gzLines("diabetes_data_raw.csv.gz");
    List<String> y = gzLines("diabetes_target.csv.gz");
    int d = x.get(0).trim().split("\\s+").length;
    float[] f = new float[x.size() * d];
    float[] t = new float[x.size()];
    for (int i = 0; i < x.size(); i++) {
      String[] cells = x.get(i).trim().split("\\s+");
      for (int j = 0; j < d; j++) {
        f[i * d + j] = Float.parseFloat(cells[j]);
      }
      t[i] = (float) Double.parseDouble(y.get(i).trim());
    }
    return new ExampleBlock(x.size(), d, f, t);
  }

  private static List<String> gzLines(String name) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(dir().resolve(name))), StandardCharsets.UTF_8))) {
      return r.lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
