package io.sparkps.ps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.checkpoint.CheckpointStore;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.server.ConnectionLimits;
import io.sparkps.ps.server.ServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(40)
class ParameterServerMainTest {
  @TempDir
  Path dir;

  private Path tokenFile() throws Exception {
    Path f = dir.resolve("token");
    Files.writeString(f, Fixtures.TOKEN + "\n");
    return f;
  }

  @Test
  void optionsBuildTheServerConfig() throws Exception {
    ParameterServerMain main = new ParameterServerMain();
    new CommandLine(main).parseArgs("--port", "0", "--shards", "3", "--first-shard", "3",
        "--token-file", tokenFile().toString(), "--checkpoint-dir", dir.toUri().toString(),
        "--metrics-port", "0");
    ServerConfig c = main.config();
    assertEquals(List.of(3, 4, 5), c.shardIds());
    assertEquals(Fixtures.TOKEN, c.credentials().workerToken());
    assertTrue(c.credentials().shared());
    assertTrue(c.restoreOnStart());
    assertEquals(0, c.metricsPort().orElseThrow());
  }

  @Test
  void aProcessIndexPicksThatProcessesShards() throws Exception {
    ParameterServerMain main = new ParameterServerMain();
    new CommandLine(main).parseArgs("--shards", "4", "--process-index", "2", "--token-file",
        tokenFile().toString());
    assertEquals(List.of(8, 9, 10, 11), main.config().shardIds());
    ParameterServerMain both = new ParameterServerMain();
    new CommandLine(both).parseArgs("--shards", "2", "--process-index", "1", "--first-shard",
        "3", "--token-file", tokenFile().toString());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, both::config);
    assertEquals("give --process-index or --first-shard, not both (got 1 and 3).",
        e.getMessage());
    ParameterServerMain negative = new ParameterServerMain();
    new CommandLine(negative).parseArgs("--process-index", "-1", "--token-file",
        tokenFile().toString());
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        negative::config).getMessage().contains("got -1"));
  }

  /** With no address options the server and its unauthenticated metrics stay on loopback. */
  @Test
  void theStandaloneServerAndItsMetricsListenOnLoopbackByDefault() throws Exception {
    ParameterServerMain main = new ParameterServerMain();
    new CommandLine(main).parseArgs("--token-file", tokenFile().toString(), "--metrics-port",
        "0");
    ServerConfig c = main.config();
    assertEquals("127.0.0.1", c.bindHost());
    assertEquals("127.0.0.1", c.metricsHost());
    ParameterServerMain exposed = new ParameterServerMain();
    new CommandLine(exposed).parseArgs("--token-file", tokenFile().toString(), "--host",
        "0.0.0.0", "--metrics-host", "10.0.0.7", "--max-connections", "5", "--idle-timeout-ms",
        "5000", "--max-failed-hellos", "3");
    ServerConfig e = exposed.config();
    assertEquals("0.0.0.0", e.bindHost());
    assertEquals("10.0.0.7", e.metricsHost());
    assertEquals(new ConnectionLimits(5, 5000, 3, 60_000), e.limits());
  }

  @Test
  void helpNamesTheOptions() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new ParameterServerMain()).setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("--help"));
    for (String o : List.of("--port", "--shards", "--checkpoint-dir", "--token-file",
        "--metrics-port", "--tls-cert", "--tls-key", "--host", "--metrics-host",
        "--max-connections", "--idle-timeout-ms", "--max-failed-hellos")) {
      assertTrue(out.toString().contains(o), out.toString());
    }
  }

  @Test
  void sigtermFinishesTheRoundInFlightAndCheckpoints() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ParameterServerMain.class.getName(), "--host", "127.0.0.1", "--port", "0",
        "--shards", "2", "--token-file", tokenFile().toString(), "--checkpoint-dir",
        dir.resolve("ckpt").toUri().toString(), "--drain-ms", "10000")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8));
      String line = out.readLine();
      int port = Integer.parseInt(line.replaceAll(".*listening on port (\\d+).*", "$1"));
      InetSocketAddress a = new InetSocketAddress("127.0.0.1", port);
      ClientConfig cfg = Fixtures.client(List.of(a, a));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg);
           ParameterServerClient c = ParameterServerClient.connect(cfg)) {
        admin.init(JobSpec.sync(100, Fixtures.sgd(0.1), 2));
        Fixtures.runWorkers(cfg, 2, 0, 2);
        float[] params = c.pull(2);
        c.push(Fixtures.push(params, 2, 0));
        p.destroy();
        Thread.sleep(300);
        c.push(Fixtures.push(params, 2, 1));
      }
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
      CheckpointStore store = new CheckpointStore(dir.resolve("ckpt").toUri());
      assertEquals(3, store.latest(0, 2).orElseThrow().version());
      assertEquals(3, store.latest(1, 2).orElseThrow().version());
    } finally {
      p.destroyForcibly();
    }
  }
}
