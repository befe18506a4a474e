package io.sparkps.driver.registry;

import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelHeader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a registry's files live. Names are relative to the registry root, with {@code /} between
 * parts ({@code v0001}, {@code rejected/20260131T120000.000Z}). Implementations make two steps
 * atomic: {@link #writeModel} publishes a finished directory with one rename and refuses an
 * existing one, and {@link #writePointer} replaces the pointer file with one rename.
 */
public interface RegistryStore {

  /** The name of the pointer file. */
  String POINTER = "CURRENT";

  /** The name of the lock file a promotion holds while it compares and moves the pointer. */
  String LOCK = "CURRENT.lock";

  /** The registry root as the user wrote it, for messages. */
  String location();

  /** The pointer's content (a version name), or empty before the first version. */
  Optional<String> readPointer() throws IOException;

  /** Replaces the pointer with {@code version}, atomically. */
  void writePointer(String version) throws IOException;

  /**
   * Creates the lock file holding {@code owner}, atomically and only if there is none: the one
   * caller that gets {@code true} holds the lock until {@link #deleteLock}. Exclusive on local
   * disks and HDFS; object stores without an exclusive create (S3 before conditional writes)
   * cannot guarantee it.
   */
  boolean createLock(String owner) throws IOException;

  /** Who holds the lock (the content {@link #createLock} wrote), or empty if nobody does. */
  Optional<String> readLock() throws IOException;

  /** Releases the lock. */
  void deleteLock() throws IOException;

  /** The names of the directories directly under {@code dir} ("" for the root), sorted. */
  List<String> listDirectories(String dir) throws IOException;

  /** Whether anything exists at {@code name}. */
  boolean exists(String name) throws IOException;

  /** Reads and checks the model directory at {@code name}. */
  LoadedModel readModel(String name) throws IOException;

  /** Reads a whole file of the model directory {@code name}. */
  byte[] readFile(String name, String file) throws IOException;

  /**
   * Writes a new model directory at {@code name} with {@code extraFiles} in one atomic step;
   * fails if {@code name} exists.
   */
  void writeModel(String name, ModelHeader header, float[] params, Map<String, byte[]> extraFiles)
      throws IOException;

  /**
   * The store for {@code location}: a local path (or {@code file:} URI) through {@code java.nio},
   * any other URI scheme ({@code hdfs://}, {@code s3a://}, ...) through Hadoop with
   * {@code hadoopConf} (Spark's, so that {@code spark.hadoop.*} settings apply).
   */
  static RegistryStore open(String location, org.apache.hadoop.conf.Configuration hadoopConf) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("--registry must name a directory, got '" + location
          + "'; pass a local path or an hdfs:// URI");
    }
    URI uri = location.contains("://") ? URI.create(location) : null;
    if (uri == null) {
      return new LocalRegistryStore(Path.of(location));
    }
    if ("file".equals(uri.getScheme())) {
      return new LocalRegistryStore(Path.of(uri));
    }
    return HadoopRegistryStore.open(uri, hadoopConf);
  }
}
