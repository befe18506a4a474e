package io.sparkps.driver.registry;

import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelFile;
import io.sparkps.core.io.ModelHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A registry in a local directory, through {@code java.nio}. Models are written with
 * {@link ModelFile#write} (a temporary sibling renamed into place); the pointer is written to a
 * temporary file, forced to disk, and renamed over {@code CURRENT} with
 * {@link StandardCopyOption#ATOMIC_MOVE}.
 */
public class LocalRegistryStore implements RegistryStore {

  private final Path root;

  public LocalRegistryStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The registry directory. */
  public Path root() {
    return root;
  }

  @Override
  public String location() {
    return root.toString();
  }

  @Override
  public Optional<String> readPointer() throws IOException {
    Path pointer = root.resolve(POINTER);
    if (!Files.exists(pointer)) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(pointer, StandardCharsets.UTF_8).trim());
  }

  @Override
  public void writePointer(String version) throws IOException {
    Files.createDirectories(root);
    Path tmp = Files.createTempFile(root, "." + POINTER + ".tmp-", "");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap((version + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, root.resolve(POINTER), StandardCopyOption.ATOMIC_MOVE);
      forceDirectory(root);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public boolean createLock(String owner) throws IOException {
    Files.createDirectories(root);
    try {
      Files.write(root.resolve(LOCK), owner.getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    }
  }

  @Override
  public Optional<String> readLock() throws IOException {
    try {
      return Optional.of(Files.readString(root.resolve(LOCK), StandardCharsets.UTF_8).trim());
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void deleteLock() throws IOException {
    Files.deleteIfExists(root.resolve(LOCK));
  }

  @Override
  public List<String> listDirectories(String dir) throws IOException {
    Path d = resolve(dir);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(d)) {
      return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted()
          .toList();
    }
  }

  @Override
  public boolean exists(String name) {
    return Files.exists(resolve(name));
  }

  @Override
  public LoadedModel readModel(String name) throws IOException {
    return ModelFile.read(resolve(name));
  }

  @Override
  public byte[] readFile(String name, String file) throws IOException {
    return Files.readAllBytes(resolve(name).resolve(file));
  }

  @Override
  public void writeModel(String name, ModelHeader header, float[] params,
      Map<String, byte[]> extraFiles) throws IOException {
    ModelFile.write(resolve(name), header, params, ModelFile.Mode.CREATE_NEW, extraFiles);
  }

  private Path resolve(String name) {
    Path p = root.resolve(name).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("registry entry '" + name + "' points outside the "
          + "registry " + root + "; use a name below it");
    }
    return p;
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory as a channel; its renames are durable on their own.
    }
  }
}
