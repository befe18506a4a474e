package io.sparkps.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The one way the comparison writes a file: into a temporary sibling, then renamed over it. */
final class AtomicFiles {

  /** Writes the temporary file it is given. */
  interface Writer {
    void write(Path tmp) throws IOException;
  }

  private AtomicFiles() {
  }

  /**
   * Lets {@code writer} fill {@code .tmp-<name>} beside {@code file} (the name keeps its
   * extension, which some writers need), then renames it to {@code file} atomically; a failed
   * write leaves {@code file} as it was.
   */
  static void write(Path file, Writer writer) {
    Path tmp = file.resolveSibling(".tmp-" + file.getFileName());
    try {
      writer.write(tmp);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the original failure is the one to report
      }
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
