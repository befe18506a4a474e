package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.driver.CliTest.Run;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two standalone parameter-server processes ({@code ParameterServerMain}, shards 0-1 and 2-3 of
 * a keyed job, one shared checkpoint directory) and a {@code local[2]} keyed job driven against
 * them: the second process is killed with SIGKILL in the middle of the run and started again
 * (it restores its shards from their checkpoint); the driver notices, restores every shard from
 * the last epoch's checkpoint under a fresh job id, runs the epoch again and ends with exactly
 * the model of an uninterrupted run.
 */
class KeyedServerRestartIT {
  private static final int EPOCHS = 4;

  @BeforeAll
  static void sharedSession() {
    io.sparkps.driver.data.SparkTestSession.get();
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aServerKilledAndRestartedMidRunLeavesTheUninterruptedModel(@TempDir Path tmp)
      throws Exception {
    Path data = SparseCliTest.clicks(tmp, 2000, 1);
    Path token = Files.writeString(tmp.resolve("token"), "a-test-token-0123456789\n");
    Path admin = Files.writeString(tmp.resolve("admin-token"), "an-admin-token-9876543210\n");
    String psCheckpoints = tmp.resolve("ps-ckpt").toUri().toString();
    int portA = freePort();
    int portB = freePort();
    List<String> serverA = server(portA, 0, token, admin, psCheckpoints);
    List<String> serverB = server(portB, 2, token, admin, psCheckpoints);
    List<Process> started = new ArrayList<>();
    try {
      started.add(start(serverA, tmp.resolve("ps-a.log")));
      Process b = start(serverB, tmp.resolve("ps-b.log"));
      started.add(b);
      // the uninterrupted run (in-process shards, four as well) while the servers start
      Run a = CliTest.run(KeyedRuns.trainArgs(data, tmp.resolve("a"), EPOCHS, "--shards", "4")
          .toArray(String[]::new));
      assertEquals(0, a.code(), a.err());
      waitForPort(portA, started.get(0));
      waitForPort(portB, b);
      String ps = String.join(",", "127.0.0.1:" + portA, "127.0.0.1:" + portA,
          "127.0.0.1:" + portB, "127.0.0.1:" + portB);
      Path runCheckpoint = tmp.resolve("run-ckpt");
      CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> CliTest.run(
          KeyedRuns.trainArgs(data, tmp.resolve("b"), EPOCHS, "--ps", ps, "--ps-token-file",
              token.toString(), "--ps-admin-token-file", admin.toString(), "--checkpoint-dir",
              runCheckpoint.toUri().toString()).toArray(String[]::new)));

      // kill the second server once the run has recorded its first epoch: mid-run
      awaitEpoch(runCheckpoint.resolve("run").resolve("state.json"), 1, run);
      awaitRoundsInto(List.of(portA, portA, portB, portB), admin, run);
      b.destroyForcibly();
      assertTrue(b.waitFor(30, TimeUnit.SECONDS));
      Process again = start(serverB, tmp.resolve("ps-b-again.log"));
      started.add(again);
      waitForPort(portB, again);

      Run r = run.get(180, TimeUnit.SECONDS);
      assertEquals(0, r.code(), r.err());
      JsonNode m = new ObjectMapper().readTree(tmp.resolve("b/metrics.json").toFile());
      assertTrue(m.get("recoveries").asInt() >= 1, "the run restored the shards after the "
          + "kill: " + m + "\n" + r.err());
      String restarted = Files.readString(tmp.resolve("ps-b-again.log"));
      assertTrue(restarted.contains("Shard 2 restored at version")
          && restarted.contains("Shard 3 restored at version"), restarted);
      KeyedRuns.assertSameModel(tmp.resolve("a"), tmp.resolve("b"));
    } finally {
      for (Process p : started) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> server(int port, int firstShard, Path token, Path admin,
      String checkpoints) {
    List<String> cmd = KeyedRuns.java("io.sparkps.ps.ParameterServerMain");
    cmd.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--shards", "2",
        "--first-shard", Integer.toString(firstShard), "--token-file", token.toString(),
        "--admin-token-file", admin.toString(), "--checkpoint-dir", checkpoints));
    return cmd;
  }

  private static Process start(List<String> cmd, Path log) throws Exception {
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
  }

  /** Waits until the run's state.json records {@code epoch} (or the run ends first). */
  /**
   * Waits until every shard is a few rounds into an epoch (not at its end, where the restored
   * checkpoint would be the shards' state anyway and nothing would need recovering), so the
   * kill lands in the middle of one.
   */
  private static void awaitRoundsInto(List<Integer> ports, Path adminToken,
      CompletableFuture<Run> run) throws Exception {
    int roundsPerEpoch = 50;
    List<java.net.InetSocketAddress> shards = ports.stream()
        .map(p -> new java.net.InetSocketAddress("127.0.0.1", p)).toList();
    try (io.sparkps.ps.client.ParameterServerAdmin admin = io.sparkps.ps.client
        .ParameterServerAdmin.connect(io.sparkps.ps.client.ClientConfig.of(shards,
            Files.readString(adminToken).trim()))) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < end) {
        assertTrue(!run.isDone(), () -> "the run ended before the kill: " + run.join().err());
        long min = admin.describe().stream().mapToLong(io.sparkps.ps.client.ShardStatus::version)
            .min().orElse(0);
        if (min > roundsPerEpoch && min % roundsPerEpoch >= 5) {
          return;
        }
        Thread.sleep(5);
      }
    }
    throw new AssertionError("the shards never got into an epoch's rounds");
  }

  private static void awaitEpoch(Path state, int epoch, CompletableFuture<Run> run)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < end) {
      assertTrue(!run.isDone(), () -> "the run ended before the kill: " + run.join().err());
      if (Files.exists(state)) {
        try {
          if (new ObjectMapper().readTree(state.toFile()).get("epoch").asInt() >= epoch) {
            return;
          }
        } catch (java.io.IOException e) {
          // replaced while read: look again
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the run recorded no epoch " + epoch + " in 120 s");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void waitForPort(int port, Process ps) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      if (!ps.isAlive()) {
        throw new IllegalStateException("the parameter server exited with " + ps.exitValue());
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the parameter server did not listen on " + port);
  }
}
