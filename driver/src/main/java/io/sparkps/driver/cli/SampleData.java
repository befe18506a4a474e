package io.sparkps.driver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The bundled sample (breast cancer, 569 rows) that commands use when no --data is given. */
public final class SampleData {
  /** Where the sample lies inside the driver jar. */
  public static final String RESOURCE = "/io/sparkps/driver/sample/breast_cancer.csv";

  private SampleData() {
  }

  /** Copies the sample to a temporary file that is removed when the JVM exits. */
  public static Path extract() {
    try (InputStream in = SampleData.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the bundled sample " + RESOURCE
            + " is missing from the classpath; rebuild the driver");
      }
      // a fixed file name, so the seeded validation split is the same in every run
      Path dir = Files.createTempDirectory("sparkps-sample-");
      // deleteOnExit runs in reverse order of registration: the file first, then its folder
      dir.toFile().deleteOnExit();
      Path tmp = dir.resolve("breast_cancer.csv");
      tmp.toFile().deleteOnExit();
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the bundled sample: " + e.getMessage(), e);
    }
  }
}
