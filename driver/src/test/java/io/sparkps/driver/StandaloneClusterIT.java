package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.io.LocalFiles;
import io.sparkps.core.io.ModelFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster of separate JVMs on 127.0.0.1 (one master, three workers of
 * one core each, started by {@code deploy/local-cluster.sh} from the Maven-resolved Spark jars),
 * and the shaded jar submitted to it by {@code deploy/submit.sh} as users do.
 */
class StandaloneClusterIT {
  private static final Path ROOT = Path.of(System.getProperty("sparkps.root"));
  private static Path clusterDir;
  private static Map<String, String> env;
  private static String master;

  @BeforeAll
  static void startCluster() throws Exception {
    clusterDir = Files.createTempDirectory("sparkps-cluster-");
    env = Map.of("SPARKPS_CLUSTER_DIR", clusterDir.toString(),
        "SPARKPS_MASTER_PORT", Integer.toString(freePort()),
        "SPARKPS_MASTER_UI_PORT", Integer.toString(freePort()),
        "SPARK_HOME", clusterDir.resolve("spark-home").toString(),
        "SPARK_LOCAL_IP", "127.0.0.1");
    Run start = run(180, "deploy/local-cluster.sh", "start", "3");
    assertEquals(0, start.code(), start.output());
    master = start.output().lines().filter(l -> l.startsWith("spark://")).findFirst()
        .orElseThrow();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    run(60, "deploy/local-cluster.sh", "stop");
    Run status = run(30, "deploy/local-cluster.sh", "status");
    assertTrue(!status.output().contains("running"), "stop leaves nothing: " + status.output());
    // the cluster's logs and jars are kept only when it did not stop
    LocalFiles.deleteTree(clusterDir);
  }

  record Run(int code, String output) {
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Process launch(Path log, String... cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  static Run run(int seconds, String... cmd) throws Exception {
    Path log = Files.createTempFile("sparkps-it-", ".log");
    try {
      Process p = launch(log, cmd);
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Run(-1, "timed out after " + seconds + " s:\n" + Files.readString(log));
      }
      return new Run(p.exitValue(), Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static List<String> submit(String masterUrl, String mode, Path out, String... trainArgs) {
    List<String> cmd = new ArrayList<>(List.of("deploy/submit.sh", "--master", masterUrl,
        "--deploy-mode", mode, "--executor-memory", "768m", "--driver-memory", "768m", "--",
        "train", "--data", ROOT.resolve("notebooks-data/data/digits.csv.gz").toString(),
        "--no-header", "--model", "softmax", "--workers", "2", "--out", out.toString(),
        // the runs are compared parameter for parameter: fixed local steps and no early stop
        "--local-steps", "1", "--patience", "0"));
    cmd.addAll(List.of(trainArgs));
    return cmd;
  }

  @Test
  void clientAndClusterModeMatchLocalMode(@TempDir Path tmp) throws Exception {
    Run local = run(240, submit("local[2]", "client", tmp.resolve("local"), "--epochs", "3",
        "--backend", "vector").toArray(String[]::new));
    assertEquals(0, local.code(), local.output());
    Run client = run(300, submit(master, "client", tmp.resolve("client"), "--epochs", "3",
        "--backend", "vector").toArray(String[]::new));
    assertEquals(0, client.code(), client.output());
    Run cluster = run(300, submit(master, "cluster", tmp.resolve("cluster"), "--epochs", "3",
        "--backend", "vector").toArray(String[]::new));
    assertEquals(0, cluster.code(), cluster.output());
    float[] expected = ModelFile.read(tmp.resolve("local")).params();
    assertArrayEquals(expected, ModelFile.read(tmp.resolve("client")).params(), 1e-5f);
    assertArrayEquals(expected, ModelFile.read(tmp.resolve("cluster")).params(), 1e-5f);
    // deploy/submit.sh gives the executors the Vector API: --backend vector, which fails where
    // the JVM lacks it, ran there (auto trains a model this small on the scalar kernels)
    assertTrue(executorLogs().contains("compute backend: vector"),
        "the executors ran the vector backend");
  }

  @Test
  void killingAWorkerMidRunStillFinishesWithNoPushCountedTwice(@TempDir Path tmp)
      throws Exception {
    Path log = tmp.resolve("train.log");
    // A task of the failed attempt that is blocked in a pull is aborted by its kill watch and
    // frees its slot at once; the 60 s pull deadline only bounds a wait if that ever fails.
    Process p = launch(log, submit(master, "client", tmp.resolve("model"), "--epochs", "12",
        "--batch-size", "16", "--pull-deadline", "60").toArray(String[]::new));
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (!Files.readString(log).contains("epoch 2: loss") && System.nanoTime() < end) {
        assertTrue(p.isAlive(), Files.readString(log));
        Thread.sleep(200);
      }
      String busy = busyWorker();
      Run kill = run(30, "deploy/local-cluster.sh", "kill-worker", busy);
      assertEquals(0, kill.code(), kill.output());
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), "training did not finish after the kill");
    } finally {
      p.destroyForcibly(); // a failed assertion must not leave the run behind
    }
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    JsonNode m = new ObjectMapper().readTree(tmp.resolve("model/metrics.json").toFile());
    assertEquals(12, m.get("history").size(), out);
    assertEquals(0, m.get("irregularRounds").asLong(), "every round counted each partition once");
    assertTrue(m.get("validation").get("accuracy").asDouble() > 0.93, m.toString());
  }

  /** The executors' stderr logs of every application so far, joined. */
  private static String executorLogs() throws IOException {
    StringBuilder all = new StringBuilder();
    try (var files = Files.walk(clusterDir.resolve("work"))) {
      for (Path f : files.filter(x -> x.getFileName().toString().equals("stderr")).toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }

  /** A worker running an executor of the newest application (worker dirs hold app-* dirs). */
  private static String busyWorker() throws IOException {
    String newest = "";
    String worker = "";
    for (int i = 1; i <= 3; i++) {
      Path work = clusterDir.resolve("work/worker-" + i);
      if (!Files.isDirectory(work)) {
        continue;
      }
      try (var apps = Files.list(work)) {
        for (Path a : apps.toList()) {
          String name = a.getFileName().toString();
          if (name.startsWith("app-") && name.compareTo(newest) >= 0) {
            newest = name;
            worker = Integer.toString(i);
          }
        }
      }
    }
    if (worker.isEmpty()) {
      throw new IllegalStateException("no worker runs an executor");
    }
    return worker;
  }
}
