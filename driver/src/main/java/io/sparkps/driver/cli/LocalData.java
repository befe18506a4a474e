package io.sparkps.driver.cli;

import io.sparkps.core.data.CsvOptions;
import io.sparkps.core.data.Dataset;
import io.sparkps.core.data.LabelEncoder;
import io.sparkps.core.data.LocalDataReader;
import io.sparkps.core.model.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads the data a command names, or the bundled sample, into this process. The Spark path reads
 * in parallel with the same row parser; this one serves files that fit in the driver.
 */
public final class LocalData {
  /** The bundled sample, inside the driver jar. */
  public static final String SAMPLE_RESOURCE = "/io/sparkps/driver/sample/breast_cancer.csv";

  private LocalData() {
  }

  /** Reads the data, learning the classes from its labels. */
  public static Dataset read(DataOptions o, Task task) {
    Path file = resolve(o);
    return isLibSvm(o, file) ? LocalDataReader.readLibSvm(file, task, o.features())
        : LocalDataReader.readCsv(file, csvOptions(o), task);
  }

  /** Reads the data, encoding labels with a trained model's classes. */
  public static Dataset read(DataOptions o, LabelEncoder encoder) {
    Path file = resolve(o);
    return isLibSvm(o, file) ? LocalDataReader.readLibSvm(file, encoder, o.features())
        : LocalDataReader.readCsv(file, csvOptions(o), encoder);
  }

  private static Path resolve(DataOptions o) {
    return o.data() == null ? extractSample() : Path.of(o.data());
  }

  private static CsvOptions csvOptions(DataOptions o) {
    return new CsvOptions(o.delimiterChar(), o.skipLines(), o.header(), o.label());
  }

  private static boolean isLibSvm(DataOptions o, Path file) {
    return switch (o.format()) {
      case libsvm -> true;
      case csv -> false;
      case auto -> looksLikeLibSvm(file, o.skipLines());
    };
  }

  /** LibSVM when the first data line reads {@code label index:value ...}. */
  static boolean looksLikeLibSvm(Path file, int skip) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such file; check --data");
    }
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        if (n++ < skip || line.isBlank()) {
          continue;
        }
        String[] tok = line.trim().split("[ \t]+");
        return tok.length > 1 && tok[1].matches("\\d+:.*");
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Copies the bundled sample to a temporary file that is removed when the JVM exits. */
  static Path extractSample() {
    try (InputStream in = LocalData.class.getResourceAsStream(SAMPLE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the bundled sample " + SAMPLE_RESOURCE
            + " is missing from the classpath; rebuild the driver");
      }
      Path tmp = Files.createTempFile("sparkps-sample-", ".csv");
      tmp.toFile().deleteOnExit();
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the bundled sample: " + e.getMessage(), e);
    }
  }
}
