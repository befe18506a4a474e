package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.io.ModelFile;
import io.sparkps.driver.train.RunCheckpoint;
import io.sparkps.ps.security.Credentials;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparkps resume} of a run against {@code --ps} servers: the checkpoint records the token
 * files' paths (never the tokens), a moved file fails at once naming the fix, and resume's own
 * {@code --ps-token-file} and {@code --ps-admin-token-file} name the new places.
 */
class ResumeTokenFilesTest {
  private static final String WORKER = "a-worker-token-0123456789";
  private static final String ADMIN = "an-admin-token-9876543210";

  @BeforeAll
  static void sharedSession() {
    io.sparkps.driver.data.SparkTestSession.get();
  }

  /** The exit code; {@code err} gets the command's error output. */
  private static int cli(StringWriter err, String... args) {
    return SparkPsCli.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        args);
  }

  private static Path tokens(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("token"), WORKER + "\n");
    Files.writeString(dir.resolve("admin-token"), ADMIN + "\n");
    return dir;
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void resumeReadsTheRecordedTokenFilesOrTheOnesItIsGiven(@TempDir Path tmp) throws Exception {
    Path first = tokens(tmp.resolve("tokens"));
    Path ckpt = tmp.resolve("ckpt");
    ServerConfig config = ServerConfig.loopback(WORKER).withCredentials(
        new Credentials(WORKER, ADMIN)).withCheckpoints(tmp.resolve("ps").toUri(), 0, false);
    try (ParameterServer ps = ParameterServer.start(config)) {
      String address = "127.0.0.1:" + ps.port();
      StringWriter err = new StringWriter();
      assertEquals(0, cli(err, "train", "--epochs", "2", "--workers", "2", "--ps", address,
          "--ps-token-file", tmp.resolve("tokens/token").toString(), "--ps-admin-token-file",
          first.resolve("admin-token").toString(), "--checkpoint-dir", ckpt.toString(),
          "--out", tmp.resolve("b").toString()), err.toString());
      String job = Files.readString(ckpt.resolve("run/job.yaml"));
      assertTrue(job.contains(first.resolve("token").toAbsolutePath().toString())
          && job.contains(first.resolve("admin-token").toAbsolutePath().toString()), job);
      assertFalse(job.contains(WORKER) || job.contains(ADMIN), job);
      assertFalse(Files.readString(tmp.resolve("b/job.yaml")).contains("token"),
          "a model directory's job.yaml names no token file");

      Path moved = Files.move(first, tmp.resolve("moved"));
      err = new StringWriter();
      assertEquals(2, cli(err, "resume", "--checkpoint", ckpt.toString(), "--", "--out",
          tmp.resolve("b2").toString()), err.toString());
      assertTrue(err.toString().contains("cannot read the --ps-token-file "
          + first.resolve("token").toAbsolutePath())
          && err.toString().contains("sparkps resume --checkpoint " + ckpt + " --ps-token-file"),
          err.toString());

      err = new StringWriter();
      assertEquals(0, cli(err, "resume", "--checkpoint", ckpt.toString(), "--ps-token-file",
          moved.resolve("token").toString(), "--ps-admin-token-file",
          moved.resolve("admin-token").toString(), "--", "--out", tmp.resolve("b2").toString()),
          err.toString());
      assertTrue(err.toString().contains("after epoch 2"), err.toString());
    }
    assertArrayEquals(ModelFile.read(tmp.resolve("b")).params(),
        ModelFile.read(tmp.resolve("b2")).params(),
        "the resumed run restored the servers' last checkpoint (the admin token's restore)");
  }

  @Test
  void aCheckpointThatRecordsNoTokenFileNamesResumesOptions(@TempDir Path tmp) {
    Path ckpt = tmp.resolve("ckpt");
    RunCheckpoint.create(ckpt.toUri(), new org.apache.hadoop.conf.Configuration())
        .writeJob("ps: [\"127.0.0.1:1\"]\nepochs: 2\n".getBytes());
    StringWriter err = new StringWriter();
    assertEquals(2, cli(err, "resume", "--checkpoint", ckpt.toString()), err.toString());
    assertTrue(err.toString().contains("records no token file")
        && err.toString().contains("--ps-token-file FILE"), err.toString());

    err = new StringWriter();
    Path missing = tmp.resolve("nowhere/admin-token");
    assertEquals(2, cli(err, "resume", "--checkpoint", ckpt.toString(), "--ps-token-file",
        tmp.resolve("nowhere/token").toString(), "--ps-admin-token-file", missing.toString()),
        err.toString());
    assertTrue(err.toString().contains("cannot read the --ps-token-file")
        && err.toString().contains("given to resume"), err.toString());
    assertEquals(List.of("run"), List.of(ckpt.toFile().list()), "resume wrote nothing");
  }
}
