package io.sparkps.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Clean-up of local scratch folders. */
public final class LocalFiles {

  private LocalFiles() {
  }

  /**
   * Deletes a directory tree, leaving behind what cannot be deleted: a leftover scratch folder is
   * harmless, since no reader ever looks at one.
   */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // see above: what is left is only untidy
    }
  }
}
