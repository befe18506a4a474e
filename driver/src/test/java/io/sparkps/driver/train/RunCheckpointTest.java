package io.sparkps.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.driver.SparkPsCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint directory belongs to one run: claimed once, reopened only by that run. */
@Timeout(60)
class RunCheckpointTest {
  @TempDir
  Path tmp;

  private final Configuration conf = new Configuration();

  @Test
  void aSecondRunIsRefusedWithTheOtherRunAndTheFix() {
    URI dir = tmp.resolve("ckpt").toUri();
    RunCheckpoint first = RunCheckpoint.create(dir, conf);
    first.writeJob("epochs: 3\n".getBytes());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunCheckpoint.create(dir, conf));
    assertTrue(e.getMessage().contains(dir.toString())
        && e.getMessage().contains("run " + first.runId())
        && e.getMessage().contains("sparkps resume --checkpoint " + dir)
        && e.getMessage().contains("new or empty --checkpoint-dir"), e.getMessage());
  }

  @Test
  void aDirectoryOfOtherFilesIsRefusedToo() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("ckpt/ps/shard-00000-of-00001"));
    Files.write(dir.resolve("v-000000000100.ckpt"), new byte[] {1});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunCheckpoint.create(tmp.resolve("ckpt").toUri(), conf));
    assertTrue(e.getMessage().contains("holds files of no SparkPS run"), e.getMessage());
  }

  @Test
  void reopeningFindsTheSameRunAndItsOwnServerDirectory() throws Exception {
    RunCheckpoint a = RunCheckpoint.create(tmp.resolve("a").toUri(), conf);
    RunCheckpoint b = RunCheckpoint.create(tmp.resolve("b").toUri(), conf);
    assertNotEquals(a.runId(), b.runId());
    RunCheckpoint reopened = RunCheckpoint.open(tmp.resolve("a").toUri(), conf);
    assertEquals(a.runId(), reopened.runId());
    assertEquals(a.psDir(), reopened.psDir());
    assertTrue(a.psDir().getPath().endsWith("/a/ps/" + a.runId()), a.psDir().toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunCheckpoint.open(tmp.resolve("c").toUri(), conf));
    assertTrue(e.getMessage().contains("holds no run/run-id"), e.getMessage());
  }

  @Test
  void ofTwoRunsClaimingOneDirectoryAtOnceExactlyOneWins() throws Exception {
    URI dir = tmp.resolve("ckpt").toUri();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> claims = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        claims.add(pool.submit((Callable<String>) () -> RunCheckpoint.create(dir, conf).runId()));
      }
      List<String> won = new ArrayList<>();
      for (Future<String> f : claims) {
        try {
          won.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
        }
      }
      assertEquals(1, won.size(), won.toString());
      assertEquals(won.get(0), RunCheckpoint.open(dir, conf).runId());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void trainRefusesTheCheckpointDirectoryOfAnotherRun() {
    URI dir = tmp.resolve("ckpt").toUri();
    String other = RunCheckpoint.create(dir, conf).runId();
    io.sparkps.driver.data.SparkTestSession.get();
    StringWriter err = new StringWriter();
    int code = SparkPsCli.run(new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true), "train", "--epochs", "1", "--workers", "2",
        "--checkpoint-dir", dir.toString());
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("run " + other)
        && err.toString().contains("sparkps resume"), err.toString());
  }
}
