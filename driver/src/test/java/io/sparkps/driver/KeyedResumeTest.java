package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.driver.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyed run ({@code --ps-layout keyed}, in-process shards) killed with SIGKILL, driver and
 * shards together, and continued with {@code sparkps resume} ends with the uninterrupted run's
 * model: the same part files byte for byte, the same epochs and the same stop. The temporary
 * files a crash in the middle of a checkpoint leaves are ignored: the previous checkpoint is
 * whole.
 */
class KeyedResumeTest {
  private static final int EPOCHS = 8;

  @BeforeAll
  static void sharedSession() {
    io.sparkps.driver.data.SparkTestSession.get();
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void resumeAfterAKillEndsWithTheUninterruptedModel(@TempDir Path tmp) throws Exception {
    Path data = SparseCliTest.clicks(tmp, 2000, 1);
    Run a = CliTest.run(KeyedRuns.trainArgs(data, tmp.resolve("a"), EPOCHS, "--shards", "2",
        "--checkpoint-dir", tmp.resolve("ckpt-a").toUri().toString()).toArray(String[]::new));
    assertEquals(0, a.code(), a.err());

    Path log = tmp.resolve("killed.log");
    List<String> cmd = KeyedRuns.java("io.sparkps.driver.SparkPsCli");
    cmd.addAll(KeyedRuns.trainArgs(data, tmp.resolve("b"), EPOCHS, "--shards", "2",
        "--master", "local[2]", "--checkpoint-dir", tmp.resolve("ckpt-b").toUri().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.readString(log).contains("epoch 2: loss") && System.nanoTime() < end) {
      assertTrue(p.isAlive(), "the run ended before it could be killed:\n"
          + Files.readString(log));
      Thread.sleep(20);
    }
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertTrue(!Files.exists(tmp.resolve("b").resolve("keyed.json")), "the killed run wrote "
        + "no model");

    // what a crash in the middle of a checkpoint leaves: temporary files, never a named one
    Path ckpt = tmp.resolve("ckpt-b");
    Files.writeString(ckpt.resolve("run").resolve(".state.json.tmp"), "{\"epoch\": 9");
    try (var shards = Files.list(ckpt.resolve("ps"))) {
      for (Path runDir : shards.toList()) {
        try (var dirs = Files.list(runDir)) {
          for (Path shard : dirs.toList()) {
            Files.write(shard.resolve("_tmp-v-000000099999.ckpt-crashed"), new byte[] {1, 2});
          }
        }
      }
    }
    Run r = CliTest.run("resume", "--checkpoint", ckpt.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("resuming run"), r.err());
    KeyedRuns.assertSameModel(tmp.resolve("a"), tmp.resolve("b"));
    JsonNode ma = new ObjectMapper().readTree(tmp.resolve("a/metrics.json").toFile());
    assertEquals(0, ma.get("recoveries").asInt(), "the shard watch voids no healthy epoch");
    JsonNode m = new ObjectMapper().readTree(tmp.resolve("b/metrics.json").toFile());
    assertTrue(m.get("history").size() >= 3, "the kill came before the end: " + m);
    try (var s = Files.list(tmp.resolve("b"))) {
      assertEquals(List.of(), s.filter(f -> f.getFileName().toString().startsWith(".best"))
          .toList(), "no best-epoch tables are left beside the model");
    }
  }
}
