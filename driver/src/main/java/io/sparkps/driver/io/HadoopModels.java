package io.sparkps.driver.io;

import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.LocalFiles;
import io.sparkps.core.io.ModelFile;
import io.sparkps.core.io.ModelHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Model directories ({@link ModelFile}) on a Hadoop file system ({@code hdfs://}, {@code file:},
 * ...), through {@link FileContext}, whose {@code rename} is atomic on HDFS and on local disks. A
 * model is written in a local temporary directory, copied to a temporary sibling of the target,
 * {@code .<name>.tmp-<random>}, and renamed into place: a reader sees the whole model or none,
 * and a crash leaves at most the temporary sibling, never a partial model under the target's
 * name. Reading copies the model to a local temporary directory and checks it there.
 */
public final class HadoopModels {
  /** The registry's file system, or the one of the target. */
  private final FileContext fc;
  /**
   * Copies between the local temporary directory and {@link #fc}'s file system. Not
   * {@code fc.util()}: that qualifies the local {@code file:/tmp/...} path with the target's
   * authority ({@code file://namenode:8020/tmp/...}, "Wrong FS"); the local context leaves the
   * local path alone and reaches the fully qualified target through its own scheme.
   */
  private final FileContext localFc;

  private HadoopModels(FileContext fc, FileContext localFc) {
    this.fc = fc;
    this.localFc = localFc;
  }

  /** Models on the file system of {@code path} (its scheme, or the default one). */
  public static HadoopModels at(Path path, Configuration conf) {
    try {
      return new HadoopModels(FileContext.getFileContext(path.toUri(), conf),
          FileContext.getLocalFSFileContext(conf));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + path + ": "
          + e.getMessage() + "; check the URI and the Hadoop configuration", e);
    }
  }

  /** The file system these models live on. */
  public FileContext context() {
    return fc;
  }

  /** {@code path} made absolute on this file system, without a trailing slash. */
  public Path qualify(Path path) {
    // through a string, which drops the trailing slash a URI of an existing directory carries
    return new Path(fc.makeQualified(path).toString());
  }

  /**
   * Writes a model directory at {@code target} atomically. An existing {@code target} is never
   * replaced: the rename fails with Hadoop's {@code FileAlreadyExistsException} and leaves it as
   * it was. The temporary copy is removed whatever happens.
   */
  public void write(Path target, ModelHeader header, float[] params,
      Map<String, byte[]> extraFiles) throws IOException {
    write(target, header, params, extraFiles, ModelFile.Mode.CREATE_NEW);
  }

  /**
   * As {@link #write(Path, ModelHeader, float[], Map)}; with {@link ModelFile.Mode#REPLACE_EXISTING}
   * an existing model is first renamed aside to {@code .<name>.old-<random>}, the new one renamed
   * in, and the old one deleted, so a crash leaves one whole model at {@code target} or beside it.
   */
  public void write(Path target, ModelHeader header, float[] params,
      Map<String, byte[]> extraFiles, ModelFile.Mode mode) throws IOException {
    Path to = qualify(target);
    java.nio.file.Path local = Files.createTempDirectory("sparkps-model-");
    Path tmp = new Path(to.getParent(), "." + to.getName() + ".tmp-" + UUID.randomUUID());
    try {
      java.nio.file.Path model = local.resolve("model");
      ModelFile.write(model, header, params, ModelFile.Mode.CREATE_NEW, extraFiles);
      fc.mkdir(to.getParent(), FsPermission.getDirDefault(), true);
      localFc.util().copy(new Path(model.toUri()), tmp);
      if (mode == ModelFile.Mode.REPLACE_EXISTING && fc.util().exists(to)) {
        Path old = new Path(to.getParent(), "." + to.getName() + ".old-" + UUID.randomUUID());
        fc.rename(to, old, Options.Rename.NONE);
        fc.rename(tmp, to, Options.Rename.NONE);
        fc.delete(old, true);
      } else {
        fc.rename(tmp, to, Options.Rename.NONE);
      }
    } finally {
      fc.delete(tmp, true);
      LocalFiles.deleteTree(local);
    }
  }

  /** Whether anything exists at {@code path}. */
  public boolean exists(Path path) throws IOException {
    return fc.util().exists(qualify(path));
  }

  /** Reads and checks the model directory at {@code source}. */
  public LoadedModel read(Path source) throws IOException {
    java.nio.file.Path local = Files.createTempDirectory("sparkps-model-");
    try {
      java.nio.file.Path copy = local.resolve("model");
      localFc.util().copy(qualify(source), new Path(copy.toUri()));
      return ModelFile.read(copy);
    } finally {
      LocalFiles.deleteTree(local);
    }
  }

  /**
   * Writes {@code bytes} to {@code target} through a temporary name beside it and a rename over
   * the old file, so a reader finds the old or the new content, never a part (the keyed model's
   * {@code keyed.json} and {@code metrics.json}).
   */
  public static void writeReplacing(org.apache.hadoop.fs.FileSystem fs, Path target,
      byte[] bytes) throws IOException {
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try (java.io.OutputStream o = fs.create(tmp, true)) {
      o.write(bytes);
    }
    fs.delete(target, false);
    if (!fs.rename(tmp, target)) {
      throw new IOException("could not rename " + tmp + " to " + target);
    }
  }
}
