package io.sparkps.driver.io;

import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelFile;
import io.sparkps.core.io.ModelHeader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Where a model directory lives, as the user wrote it on the command line ({@code --out},
 * {@code --model}): a local path or {@code file:} URI, read and written through
 * {@link ModelFile} (forced to disk), or any Hadoop URI ({@code hdfs://}, {@code s3a://}, ...)
 * through {@link HadoopModels} with Spark's Hadoop configuration. Both write atomically: a
 * temporary sibling renamed into place.
 */
public record ModelLocation(String location) {

  public ModelLocation {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("a model location must name a directory, got '"
          + location + "'; pass a local path or a URI such as hdfs:///models/m");
    }
  }

  /** The local directory, when the location is on the local file system. */
  private java.util.Optional<java.nio.file.Path> local() {
    if (!location.contains("://") && !location.startsWith("file:")) {
      return java.util.Optional.of(java.nio.file.Path.of(location));
    }
    URI uri = URI.create(location);
    return "file".equals(uri.getScheme()) ? java.util.Optional.of(java.nio.file.Path.of(uri))
        : java.util.Optional.empty();
  }

  /** Whether anything exists at this location. */
  public boolean exists(Configuration hadoop) throws IOException {
    java.util.Optional<java.nio.file.Path> local = local();
    return local.isPresent() ? Files.exists(local.get())
        : HadoopModels.at(new Path(location), hadoop).exists(new Path(location));
  }

  /** Reads and checks the model directory. */
  public LoadedModel read(Configuration hadoop) throws IOException {
    java.util.Optional<java.nio.file.Path> local = local();
    return local.isPresent() ? ModelFile.read(local.get())
        : HadoopModels.at(new Path(location), hadoop).read(new Path(location));
  }

  /**
   * The bytes of the file {@code name} in the model directory ({@code metrics.json}, ...), or
   * empty when the directory has no such file.
   */
  public java.util.Optional<byte[]> readFile(String name, Configuration hadoop)
      throws IOException {
    java.util.Optional<java.nio.file.Path> local = local();
    if (local.isPresent()) {
      java.nio.file.Path f = local.get().resolve(name);
      return Files.isRegularFile(f) ? java.util.Optional.of(Files.readAllBytes(f))
          : java.util.Optional.empty();
    }
    Path f = new Path(new Path(location), name);
    HadoopModels fs = HadoopModels.at(f, hadoop);
    if (!fs.exists(f)) {
      return java.util.Optional.empty();
    }
    try (java.io.InputStream in = fs.context().open(fs.qualify(f))) {
      return java.util.Optional.of(in.readAllBytes());
    }
  }

  /** Writes the model with {@code extraFiles} in one atomic step. */
  public void write(ModelHeader header, float[] params, ModelFile.Mode mode,
      Map<String, byte[]> extraFiles, Configuration hadoop) throws IOException {
    java.util.Optional<java.nio.file.Path> local = local();
    if (local.isPresent()) {
      ModelFile.write(local.get(), header, params, mode, extraFiles);
    } else {
      HadoopModels.at(new Path(location), hadoop).write(new Path(location), header, params,
          extraFiles, mode);
    }
  }

  /** The location for messages: a local path made absolute, a URI as given. */
  @Override
  public String toString() {
    return local().map(p -> p.toAbsolutePath().toString()).orElse(location);
  }
}
