package io.sparkps.driver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrainings of one registry at the same time: each compared its candidate with the version
 * current when it started; only one may move {@code CURRENT} from there, on the local store and
 * on the Hadoop store alike.
 */
@Timeout(60)
class ConcurrentPromotionTest {
  private static final int RACERS = 4;

  @TempDir
  Path root;

  private static RegistryStore hadoop(Path dir) {
    return HadoopRegistryStore.open(dir.toUri(), new Configuration());
  }

  @Test
  void ofConcurrentPromotionsFromOneVersionExactlyOneMovesCurrentOnALocalStore()
      throws Exception {
    raceFromOneVersion(LocalRegistryStore::new);
  }

  @Test
  void ofConcurrentPromotionsFromOneVersionExactlyOneMovesCurrentOnAHadoopStore()
      throws Exception {
    raceFromOneVersion(ConcurrentPromotionTest::hadoop);
  }

  private void raceFromOneVersion(Function<Path, RegistryStore> stores) throws Exception {
    new ModelRegistry(stores.apply(root)).promote(ModelRegistryTest.candidate(1));
    CyclicBarrier start = new CyclicBarrier(RACERS);
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      List<Future<String>> racers = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        float value = 10 + i;
        racers.add(pool.submit(() -> {
          ModelRegistry reg = new ModelRegistry(stores.apply(root));
          Optional<String> comparedWith = reg.store().readPointer(); // v0001, for every racer
          start.await();
          return reg.promote(ModelRegistryTest.candidate(value), comparedWith);
        }));
      }
      List<String> promoted = new ArrayList<>();
      for (Future<String> f : racers) {
        try {
          promoted.add(f.get());
        } catch (ExecutionException e) {
          ModelRegistry.CurrentMovedException moved =
              assertInstanceOf(e.getCause());
          assertEquals(Optional.of("v0001"), moved.comparedWith());
          assertEquals(Optional.of("v0002"), moved.now());
          assertTrue(moved.getMessage().contains("moved from v0001 to v0002"), moved.getMessage());
        }
      }
      assertEquals(List.of("v0002"), promoted);
      ModelRegistry reg = new ModelRegistry(stores.apply(root));
      assertEquals("v0002", reg.current().orElseThrow().name());
      assertEquals(List.of("v0001", "v0002"), reg.versions(), "the losers wrote nothing");
      assertFalse(Files.exists(root.resolve(RegistryStore.LOCK)), "the lock is released");
    } finally {
      pool.shutdownNow();
    }
  }

  private static ModelRegistry.CurrentMovedException assertInstanceOf(Throwable t) {
    assertTrue(t instanceof ModelRegistry.CurrentMovedException, String.valueOf(t));
    return (ModelRegistry.CurrentMovedException) t;
  }

  @Test
  void aLeftoverLockIsReportedWithItsOwnerAndTheFix() throws IOException {
    RegistryStore store = new LocalRegistryStore(root);
    new ModelRegistry(store).promote(ModelRegistryTest.candidate(1));
    assertTrue(store.createLock("4242@crashed-host since 2026-12-03T07:00:00Z"));
    ModelRegistry reg = new ModelRegistry(store, Duration.ofMillis(200));
    IOException e = assertThrows(IOException.class,
        () -> reg.promote(ModelRegistryTest.candidate(2), Optional.of("v0001")));
    assertTrue(e.getMessage().contains("locked by 4242@crashed-host")
        && e.getMessage().contains("delete CURRENT.lock"), e.getMessage());
    assertEquals("v0001", reg.current().orElseThrow().name());
    store.deleteLock();
    assertEquals("v0002", reg.promote(ModelRegistryTest.candidate(2), Optional.of("v0001")));
  }

  /**
   * A reader that polls {@code CURRENT} while it is rewritten always finds a pointer (Hadoop's
   * local rename deletes the target before renaming) and never fails a checksum.
   */
  @Test
  void aReaderOfTheHadoopStoreAlwaysFindsAPointerWhileItIsRewritten() throws Exception {
    RegistryStore store = hadoop(root);
    store.writePointer("v0000");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> reads = pool.submit(() -> {
        int n = 0;
        for (long end = System.nanoTime() + 400_000_000L; System.nanoTime() < end; n++) {
          Optional<String> seen = hadoop(root).readPointer();
          assertTrue(seen.isPresent(), "CURRENT was missing after " + n + " reads");
          assertTrue(seen.get().matches("v\\d{4}"), "CURRENT read as '" + seen.get() + "'");
        }
        return n;
      });
      for (int v = 1; !reads.isDone(); v++) {
        store.writePointer(String.format("v%04d", v % 10_000));
      }
      assertTrue(reads.get() > 0);
    } finally {
      pool.shutdownNow();
    }
    assertFalse(Files.list(root).anyMatch(p -> p.getFileName().toString().contains(".tmp-")),
        "a temporary pointer file was left behind");
  }
}
