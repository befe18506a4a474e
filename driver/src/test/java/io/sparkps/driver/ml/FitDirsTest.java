package io.sparkps.driver.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each keyed fit claims its own directory under keyedModelDir, also when fits run at once. */
class FitDirsTest {

  private static FileSystem local() throws Exception {
    return FileSystem.getLocal(new Configuration());
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  @Test
  void aFitTakesOnePastTheHighestFitDirectoryThere(@TempDir Path tmp) throws Exception {
    Path parent = tmp.resolve("models");
    assertEquals("fit-00001", FitDirs.claim(local(), hadoop(parent)).getName(),
        "an absent keyedModelDir is created");
    Files.createDirectories(parent.resolve("fit-00007"));
    Files.createDirectories(parent.resolve("notes"));
    org.apache.hadoop.fs.Path next = FitDirs.claim(local(), hadoop(parent));
    assertEquals("fit-00008", next.getName());
    assertTrue(Files.exists(parent.resolve("fit-00008").resolve(FitDirs.CLAIMED)));
  }

  @Test
  void fitsRunningAtOnceNeverShareADirectory(@TempDir Path tmp) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> claims = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        claims.add(pool.submit(() -> FitDirs.claim(local(), hadoop(tmp)).getName()));
      }
      Set<String> names = new TreeSet<>();
      for (Future<String> f : claims) {
        names.add(f.get());
      }
      assertEquals(12, names.size(), names.toString());
      assertEquals("fit-00012", ((TreeSet<String>) names).last());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFileAsKeyedModelDirIsRefusedWithTheFix(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("model"), "x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FitDirs.claim(local(), hadoop(file)));
    assertTrue(e.getMessage().contains("is a file") && e.getMessage().contains("give a "
        + "directory"), e.getMessage());
  }
}
