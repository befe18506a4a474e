package io.sparkps.driver.registry;

import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelHeader;
import io.sparkps.driver.io.HadoopModels;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * A registry on a Hadoop file system ({@code hdfs://}, ...), through {@link FileContext}, whose
 * {@code rename} is atomic on HDFS. Models are written and read by {@link HadoopModels} (a
 * temporary sibling renamed into place with {@link Options.Rename#NONE}: an existing version is
 * never replaced); the pointer is written to a temporary file and renamed over {@code CURRENT}
 * ({@link Options.Rename#OVERWRITE}).
 */
public final class HadoopRegistryStore implements RegistryStore {

  private final URI uri;
  private final HadoopModels models;
  private final FileContext fc;
  private final Path root;

  private HadoopRegistryStore(URI uri, HadoopModels models) {
    this.uri = uri;
    this.models = models;
    this.fc = models.context();
    this.root = models.qualify(new Path(uri));
  }

  /** The store at {@code uri}, reached with {@code conf}. */
  static HadoopRegistryStore open(URI uri, Configuration conf) {
    return new HadoopRegistryStore(uri, HadoopModels.at(new Path(uri), conf));
  }

  @Override
  public String location() {
    return uri.toString();
  }

  @Override
  public Optional<String> readPointer() throws IOException {
    Path pointer = new Path(root, POINTER);
    if (!fc.util().exists(pointer)) {
      return Optional.empty();
    }
    try (var in = fc.open(pointer)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
  }

  @Override
  public void writePointer(String version) throws IOException {
    fc.mkdir(root, FsPermission.getDirDefault(), true);
    if ("file".equals(root.toUri().getScheme())) {
      writeLocalPointer(version);
      return;
    }
    Path tmp = new Path(root, "." + POINTER + ".tmp-" + UUID.randomUUID());
    try {
      try (FSDataOutputStream out = fc.create(tmp, EnumSet.of(CreateFlag.CREATE),
          Options.CreateOpts.createParent())) {
        out.write((version + "\n").getBytes(StandardCharsets.UTF_8));
        out.hsync();
      }
      fc.rename(tmp, new Path(root, POINTER), Options.Rename.OVERWRITE);
    } finally {
      fc.delete(tmp, false);
    }
  }

  /**
   * The pointer on {@code file:}: Hadoop's local rename with OVERWRITE deletes the target before
   * it renames, so a reader could find no pointer for a moment; the JDK's atomic move replaces it
   * in one step. The file is written without Hadoop's {@code .crc} side file, so a stale one
   * (left by an earlier writer) is removed first: a reader then reads the old pointer unchecked,
   * never the new one against the old checksum.
   */
  private void writeLocalPointer(String version) throws IOException {
    java.nio.file.Path dir = java.nio.file.Path.of(root.toUri());
    java.nio.file.Path tmp = dir.resolve("." + POINTER + ".tmp-" + UUID.randomUUID());
    try {
      try (var ch = java.nio.channels.FileChannel.open(tmp,
          java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap((version + "\n").getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      java.nio.file.Files.deleteIfExists(dir.resolve("." + POINTER + ".crc"));
      java.nio.file.Files.move(tmp, dir.resolve(POINTER),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  /**
   * Creates the lock file if no one holds it. HDFS creates a file exclusively at its name node;
   * Hadoop's local file system only checks, then creates, so two processes could both think
   * they hold it: on {@code file:} the lock is made with the JDK's atomic create instead.
   */
  @Override
  public boolean createLock(String owner) throws IOException {
    fc.mkdir(root, FsPermission.getDirDefault(), true);
    if ("file".equals(root.toUri().getScheme())) {
      try {
        java.nio.file.Files.write(java.nio.file.Path.of(new Path(root, LOCK).toUri()),
            owner.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SYNC);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    try (FSDataOutputStream out = fc.create(new Path(root, LOCK), EnumSet.of(CreateFlag.CREATE),
        Options.CreateOpts.createParent())) {
      out.write(owner.getBytes(StandardCharsets.UTF_8));
      out.hsync();
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  @Override
  public Optional<String> readLock() throws IOException {
    try (var in = fc.open(new Path(root, LOCK))) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public void deleteLock() throws IOException {
    fc.delete(new Path(root, LOCK), false);
  }

  @Override
  public List<String> listDirectories(String dir) throws IOException {
    Path d = resolve(dir);
    List<String> names = new ArrayList<>();
    if (!fc.util().exists(d)) {
      return names;
    }
    RemoteIterator<FileStatus> it = fc.listStatus(d);
    while (it.hasNext()) {
      FileStatus s = it.next();
      if (s.isDirectory()) {
        names.add(s.getPath().getName());
      }
    }
    names.sort(Comparator.naturalOrder());
    return names;
  }

  @Override
  public boolean exists(String name) throws IOException {
    return fc.util().exists(resolve(name));
  }

  @Override
  public LoadedModel readModel(String name) throws IOException {
    return models.read(resolve(name));
  }

  @Override
  public byte[] readFile(String name, String file) throws IOException {
    try (var in = fc.open(new Path(resolve(name), file))) {
      return in.readAllBytes();
    }
  }

  @Override
  public void writeModel(String name, ModelHeader header, float[] params,
      Map<String, byte[]> extraFiles) throws IOException {
    Path target = resolve(name);
    if (fc.util().exists(target)) {
      throw new java.nio.file.FileAlreadyExistsException(target.toString(), null,
          "a registry entry already exists there and is never overwritten");
    }
    models.write(target, header, params, extraFiles);
  }

  private Path resolve(String name) {
    if (name.isEmpty()) {
      return root;
    }
    if (name.startsWith("/") || name.contains("..")) {
      throw new IllegalArgumentException("registry entry '" + name + "' points outside the "
          + "registry " + uri + "; use a name below it");
    }
    return new Path(root, name);
  }
}
