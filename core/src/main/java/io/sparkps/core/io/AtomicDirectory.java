package io.sparkps.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Publishes a directory by renaming a fully written sibling into place. The sibling lives in the
 * same parent, so the rename stays on one file system and is atomic.
 */
final class AtomicDirectory {

  private AtomicDirectory() {
  }

  /** A new, empty {@code .<name>.tmp-<random>} next to {@code target}. */
  static Path createTemp(Path target) throws IOException {
    Path parent = parentOf(target);
    Files.createDirectories(parent);
    return Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
  }

  /** Writes {@code bytes} to a new file and forces them to disk. */
  static void writeFile(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /** Fails with a message that names the fix when {@code target} exists. */
  static void requireAbsent(Path target) throws FileAlreadyExistsException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "a model already exists "
          + "there; choose another path, or write with ModelFile.Mode.REPLACE_EXISTING to replace it");
    }
  }

  /** Renames {@code tmp} to {@code target}, which must not exist. */
  static void publishNew(Path tmp, Path target) throws IOException {
    requireAbsent(target);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    fsync(parentOf(target));
  }

  /**
   * Replaces {@code target} by {@code tmp}: renames the old directory aside to
   * {@code .<name>.old-<random>}, renames the new one in, then deletes the old one. If the second
   * rename fails, the old directory is renamed back.
   */
  static void publishReplacing(Path tmp, Path target) throws IOException {
    if (!Files.exists(target)) {
      publishNew(tmp, target);
      return;
    }
    Path parent = parentOf(target);
    Path old = parent.resolve("." + target.getFileName() + ".old-"
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()));
    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      throw e;
    }
    fsync(parent);
    LocalFiles.deleteTree(old);
  }

  /** Siblings named {@code .<name>.old-*}: old models left by an interrupted replacement. */
  static List<Path> leftoversOf(Path target) throws IOException {
    Path parent = parentOf(target);
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(parent)) {
      return found;
    }
    String prefix = "." + target.getFileName() + ".old-";
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(parent,
        p -> p.getFileName().toString().startsWith(prefix))) {
      stream.forEach(found::add);
    }
    return found;
  }

  /** Forces a directory's entries to disk where the platform allows it (Linux, macOS). */
  static void fsync(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory as a channel; its renames are durable on their own.
    }
  }

  private static Path parentOf(Path target) {
    Path parent = target.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("a model directory cannot be the root " + target
          + "; choose a directory below it");
    }
    return parent;
  }
}
