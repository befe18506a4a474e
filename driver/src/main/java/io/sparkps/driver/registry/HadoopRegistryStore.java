package io.sparkps.driver.registry;

import io.sparkps.core.io.LocalFiles;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelFile;
import io.sparkps.core.io.ModelHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * {@code rename} is atomic on HDFS. A model is written locally with {@link ModelFile#write},
 * copied to a temporary sibling {@code .<name>.tmp-<random>} and renamed into place
 * ({@link Options.Rename#NONE}: an existing version is never replaced); the pointer is written to
 * a temporary file and renamed over {@code CURRENT} ({@link Options.Rename#OVERWRITE}). Reading
 * a model copies it to a local temporary directory and checks it there.
 */
public final class HadoopRegistryStore implements RegistryStore {

  private final URI uri;
  private final FileContext fc;
  /**
   * Copies between the local temporary directory and the registry. Not {@code fc.util()}: that
   * qualifies the local {@code file:/tmp/...} path with the registry's authority
   * ({@code file://namenode:8020/tmp/...}, "Wrong FS"); the local context leaves the local path
   * alone and reaches the fully qualified registry path through its own scheme.
   */
  private final FileContext localFc;
  private final Path root;

  private HadoopRegistryStore(URI uri, FileContext fc, FileContext localFc) {
    this.uri = uri;
    this.fc = fc;
    this.localFc = localFc;
    this.root = fc.makeQualified(new Path(uri));
  }

  /** The store at {@code uri}, reached with {@code conf}. */
  static HadoopRegistryStore open(URI uri, Configuration conf) {
    try {
      return new HadoopRegistryStore(uri, FileContext.getFileContext(uri, conf),
          FileContext.getLocalFSFileContext(conf));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the registry file system of " + uri + ": "
          + e.getMessage() + "; check the URI and the Hadoop configuration", e);
    }
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
    java.nio.file.Path local = Files.createTempDirectory("sparkps-registry-");
    try {
      java.nio.file.Path copy = local.resolve("model");
      localFc.util().copy(resolve(name), new Path(copy.toUri()));
      return ModelFile.read(copy);
    } finally {
      LocalFiles.deleteTree(local);
    }
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
    java.nio.file.Path local = Files.createTempDirectory("sparkps-registry-");
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      java.nio.file.Path model = local.resolve("model");
      ModelFile.write(model, header, params, ModelFile.Mode.CREATE_NEW, extraFiles);
      fc.mkdir(target.getParent(), FsPermission.getDirDefault(), true);
      localFc.util().copy(new Path(model.toUri()), tmp);
      fc.rename(tmp, target, Options.Rename.NONE);
    } finally {
      fc.delete(tmp, true);
      LocalFiles.deleteTree(local);
    }
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
