package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.io.ModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training against a parameter server running in its own JVM ({@code sparkps ps}'s main, on a
 * loopback port, with a token file) gives the same model as the in-process server, and a
 * second run against the same process trains too (the first ended its job there).
 */
class StandaloneParameterServerTest {

  @BeforeAll
  static void sharedSession() {
    io.sparkps.driver.data.SparkTestSession.get();
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static int train(String... args) {
    StringWriter err = new StringWriter();
    int code = SparkPsCli.run(new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true), args);
    assertEquals(0, code, err.toString());
    return code;
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void separateServerProcessGivesTheInProcessResult(@TempDir Path tmp) throws Exception {
    Path token = tmp.resolve("token");
    Files.writeString(token, "a-test-token-0123456789\n");
    Path adminToken = tmp.resolve("admin-token");
    Files.writeString(adminToken, "an-admin-token-9876543210\n");
    int port = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process ps = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.sparkps.ps.ParameterServerMain", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--token-file", token.toString(), "--admin-token-file",
        adminToken.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("ps.log").toFile()).start();
    try {
      waitForPort(port, ps);
      train("train", "--epochs", "3", "--workers", "2", "--ps", "127.0.0.1:" + port,
          "--ps-token-file", token.toString(), "--ps-admin-token-file", adminToken.toString(),
          "--out", tmp.resolve("remote").toString());
      train("train", "--epochs", "3", "--workers", "2", "--out", tmp.resolve("local").toString());
      float[] remote = ModelFile.read(tmp.resolve("remote")).params();
      float[] local = ModelFile.read(tmp.resolve("local")).params();
      assertArrayEquals(local, remote, 1e-6f);
      assertTrue(ps.isAlive(), "the server outlives the job");
      // the first run ended its job there: a second run against the same server is not refused
      train("train", "--epochs", "3", "--workers", "2", "--ps", "127.0.0.1:" + port,
          "--ps-token-file", token.toString(), "--ps-admin-token-file", adminToken.toString(),
          "--out", tmp.resolve("again").toString());
      assertArrayEquals(local, ModelFile.read(tmp.resolve("again")).params(), 1e-6f);
    } finally {
      ps.destroy();
      assertTrue(ps.waitFor(30, TimeUnit.SECONDS), "the server stops on SIGTERM");
    }
    String log = Files.readString(tmp.resolve("ps.log"));
    assertTrue(log.contains(Integer.toString(port)), log);
    // no secret in the server's log or in the job file the run wrote
    String job = Files.readString(tmp.resolve("remote").resolve("job.yaml"));
    for (String secret : List.of("a-test-token-0123456789", "an-admin-token-9876543210")) {
      assertFalse(log.contains(secret), "the server log shows a token");
      assertFalse(job.contains(secret), job);
    }
    assertFalse(job.contains("token"), job);
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
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the parameter server did not listen on " + port);
  }
}
