package io.sparkps.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.io.ModelFile;
import io.sparkps.driver.SparkPsCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run killed with SIGKILL (its driver and in-process parameter server die together)
 * and continued with {@code resume} ends with exactly the model of an uninterrupted run.
 */
class ResumeTest {
  private static final int EPOCHS = 15;

  @BeforeAll
  static void sharedSession() {
    io.sparkps.driver.data.SparkTestSession.get();
  }

  static List<String> trainArgs(Path ckpt, Path out) {
    return List.of("train", "--master", "local[2]", "--data",
        io.sparkps.core.TestData.dir().resolve("digits.csv.gz").toString(), "--no-header",
        "--model", "mlp", "--hidden", "16", "--epochs", Integer.toString(EPOCHS),
        "--batch-size", "16", "--workers", "2", "--patience", "3", "--seed", "7",
        "--checkpoint-dir", ckpt.toUri().toString(), "--out", out.toString());
  }

  static int run(String... args) {
    StringWriter err = new StringWriter();
    int code = SparkPsCli.run(new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true), args);
    assertEquals(0, code, err.toString());
    return code;
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void resumeAfterAKillEndsWithTheUninterruptedModel(@TempDir Path tmp) throws Exception {
    run(trainArgs(tmp.resolve("ckpt-a"), tmp.resolve("a")).toArray(String[]::new));

    Path log = tmp.resolve("killed.log");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
        .stream().filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore")
            || a.startsWith("-Djdk.reflect")).toList());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "io.sparkps.driver.SparkPsCli"));
    cmd.addAll(trainArgs(tmp.resolve("ckpt-b"), tmp.resolve("b")));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.readString(log).contains("epoch 3: loss") && System.nanoTime() < end) {
      assertTrue(p.isAlive(), "the run ended before it could be killed:\n"
          + Files.readString(log));
      Thread.sleep(20);
    }
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertTrue(!Files.exists(tmp.resolve("b")), "the killed run wrote no model");

    run("resume", "--checkpoint", tmp.resolve("ckpt-b").toString());
    float[] expected = ModelFile.read(tmp.resolve("a")).params();
    assertArrayEquals(expected, ModelFile.read(tmp.resolve("b")).params(), 1e-6f);
    var a = new ObjectMapper().readTree(tmp.resolve("a/metrics.json").toFile());
    var b = new ObjectMapper().readTree(tmp.resolve("b/metrics.json").toFile());
    assertEquals(a.get("history").size(), b.get("history").size(), "same epochs, same stop");
    assertEquals(a.get("bestEpoch"), b.get("bestEpoch"));
  }
}
