package io.sparkps.driver.hdfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.TestData;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelFile;
import io.sparkps.driver.SparkPsCli;
import io.sparkps.driver.cli.RetrainCommand;
import io.sparkps.driver.data.SparkTestSession;
import io.sparkps.ps.checkpoint.CheckpointStore;
import io.sparkps.ps.checkpoint.ShardCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a real HDFS in this JVM ({@link MiniHdfs}): training data read from
 * {@code hdfs://}, parameter-server checkpoints, the model of {@code train --out}, the retrain
 * registry and predictions written there. Every HDFS location is a full {@code hdfs://127.0.0.1:PORT/...} URI.
 */
class HdfsTest {

  record Run(int code, String out, String err) {
  }

  static MiniHdfs hdfs;
  static Path sample;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startHdfs() throws IOException {
    SparkTestSession.get();
    hdfs = MiniHdfs.start();
    sample = TestData.dir().resolve("../sample/breast_cancer.csv").normalize();
    // the same file name as the local copy, so that the seeded row split is the same
    hdfs.fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(sample.toUri()),
        new org.apache.hadoop.fs.Path(hdfs.url("/data/breast_cancer.csv")));
  }

  @AfterAll
  static void stopHdfs() throws IOException {
    if (hdfs != null) {
      hdfs.close(); // fails if a server thread of the cluster is still running after 30 s
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkPsCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Every file below {@code dir}, as paths relative to it. */
  static List<String> files(String dir) throws IOException {
    org.apache.hadoop.fs.Path root = hdfs.fs().makeQualified(new org.apache.hadoop.fs.Path(dir));
    List<String> out = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = hdfs.fs().listFiles(root, true);
    while (it.hasNext()) {
      out.add(root.toUri().relativize(it.next().getPath().toUri()).getPath());
    }
    out.sort(null);
    return out;
  }

  static byte[] read(String url) throws IOException {
    try (InputStream in = hdfs.fs().open(new org.apache.hadoop.fs.Path(url))) {
      return in.readAllBytes();
    }
  }

  /** The "loaded N training and M validation rows x F features" part of a run's output. */
  static String loaded(Run r) {
    return r.err().lines().filter(l -> l.startsWith("loaded ")).findFirst().orElseThrow()
        .replaceAll(" in [0-9.]+ s$", "");
  }

  static String[] train(String data, String... extra) {
    List<String> a = new ArrayList<>(List.of("train", "--data", data, "--label", "diagnosis",
        "--epochs", "3", "--workers", "2"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void trainingOnHdfsDataGivesTheParametersOfTheSameLocalRun() throws IOException {
    Run local = run(train(sample.toString(), "--out", tmp.resolve("local").toString()));
    assertEquals(0, local.code(), local.err());
    Run remote = run(train(hdfs.url("/data/breast_cancer.csv"), "--out",
        tmp.resolve("hdfs").toString()));
    assertEquals(0, remote.code(), remote.err());
    assertEquals(loaded(local), loaded(remote), "the same row split");
    LoadedModel a = ModelFile.read(tmp.resolve("local"));
    LoadedModel b = ModelFile.read(tmp.resolve("hdfs"));
    assertEquals(31, b.params().length);
    assertArrayEquals(a.params(), b.params(), "the same rows, split and seed give the same model");
    assertEquals(a.header().labels(), b.header().labels());
  }

  @Test
  void checkpointsOfTheParameterServerLandInHdfsComplete() throws IOException {
    String ckpt = hdfs.url("/jobs/ckpt");
    Run r = run(train(hdfs.url("/data/breast_cancer.csv"), "--checkpoint-dir", ckpt,
        "--out", tmp.resolve("model").toString()));
    assertEquals(0, r.code(), r.err());
    // the server's shard checkpoints under ps/<run id>/ (one shard, one after each of the 3
    // epochs, the two newest kept) and the driver's run state under run/; no temporary files
    List<String> names = files(ckpt);
    String runId = names.stream().filter(n -> n.startsWith("ps/")).findFirst().orElseThrow()
        .split("/")[1];
    assertTrue(runId.matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}"), runId);
    List<String> shards = names.stream().filter(n -> n.startsWith("ps/")).toList();
    assertEquals(2, shards.size(), names.toString());
    for (String n : shards) {
      assertTrue(n.matches("ps/" + runId + "/shard-00000-of-00001/v-\\d{12}\\.ckpt"),
          names.toString());
    }
    assertEquals(List.of("run/best-epoch-3.bin", "run/job.yaml", "run/run-id", "run/state.json"),
        names.stream().filter(n -> n.startsWith("run/")).sorted().toList());
    ShardCheckpoint c = new CheckpointStore(URI.create(ckpt + "/ps/" + runId)).latest(0, 1)
        .orElseThrow();
    assertEquals(0, c.shardId());
    assertEquals(1, c.totalShards());
    assertEquals(shards.get(1), String.format("ps/%s/shard-00000-of-00001/v-%012d.ckpt", runId,
        c.version()));
    JsonNode metrics = new ObjectMapper().readTree(tmp.resolve("model/metrics.json").toFile());
    assertEquals(metrics.get("rounds").asLong(), c.version(),
        "the last checkpoint is the last round");
    assertArrayEquals(ModelFile.read(tmp.resolve("model")).params(), c.params(),
        "the last checkpoint holds the trained parameters");
  }

  @Test
  void retrainKeepsItsRegistryInHdfs() throws IOException {
    String reg = hdfs.url("/registry");
    String[] args = {"retrain", "--registry", reg, "--data", hdfs.url("/data/breast_cancer.csv"),
        "--label", "diagnosis", "--epochs", "3", "--workers", "2"};
    Run first = run(args);
    assertEquals(RetrainCommand.PROMOTED, first.code(), first.err());
    assertEquals("v0001", new String(read(reg + "/CURRENT"), StandardCharsets.UTF_8).trim());
    byte[] v1Params = read(reg + "/v0001/" + ModelFile.PARAMS_FILE);

    Run second = run(args);
    assertEquals(RetrainCommand.PROMOTED, second.code(), second.out() + second.err());
    assertTrue(second.err().contains("warm start from v0001"), second.err());
    assertEquals("v0002", new String(read(reg + "/CURRENT"), StandardCharsets.UTF_8).trim());
    List<String> names = files(reg);
    for (String v : List.of("v0001", "v0002")) {
      for (String f : List.of("model.json", ModelFile.PARAMS_FILE, "metrics.json", "job.yaml",
          "data.json")) {
        assertTrue(names.contains(v + "/" + f), v + "/" + f + " in " + names);
      }
    }
    assertFalse(names.stream().anyMatch(n -> n.contains(".tmp-")), names.toString());
    assertArrayEquals(v1Params, read(reg + "/v0001/" + ModelFile.PARAMS_FILE),
        "v0001 is never rewritten");
    assertFalse(Arrays.equals(v1Params, read(reg + "/v0002/" + ModelFile.PARAMS_FILE)));
  }

  @Test
  void synthWritesToHdfsTheRowsItWritesLocally() throws IOException {
    Run local = run("synth", "--rows", "50", "--out", tmp.resolve("s.csv").toString());
    assertEquals(0, local.code(), local.err());
    Run remote = run("synth", "--rows", "50", "--out", hdfs.url("/synth/s.csv"));
    assertEquals(0, remote.code(), remote.err());
    assertEquals(java.nio.file.Files.readString(tmp.resolve("s.csv")),
        new String(read(hdfs.url("/synth/s.csv")), StandardCharsets.UTF_8));
    assertEquals(List.of("s.csv"), files(hdfs.url("/synth")), "no temporary file is left");
  }

  @Test
  void trainWritesItsModelToHdfsAndPredictAndEvaluateReadIt() throws IOException {
    String model = hdfs.url("/models/m");
    Run t = run(train(sample.toString(), "--out", model));
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("model written to " + model), t.out());
    // the whole model directory in one rename: no temporary sibling is left under /models
    assertEquals(List.of("m/job.yaml", "m/metrics.json", "m/model.json", "m/params.bin"),
        files(hdfs.url("/models")));
    Run again = run(train(sample.toString(), "--out", model));
    assertEquals(2, again.code(), again.err());
    assertTrue(again.err().contains(model + " already exists; pass --overwrite"), again.err());

    String out = hdfs.url("/pred");
    Run p = run("predict", "--model", model, "--data",
        hdfs.url("/data/breast_cancer.csv"), "--label", "diagnosis", "--out", out);
    assertEquals(0, p.code(), p.err());
    assertTrue(files(out).contains("_SUCCESS"), files(out).toString());
    Dataset<Row> back = SparkTestSession.get().read().option("header", "true").csv(out);
    assertEquals(569, back.count());
    List<String> cols = Arrays.asList(back.columns());
    assertTrue(cols.containsAll(List.of("diagnosis", "prediction", "predictedLabel",
        "probability_benign", "probability_malignant")), cols.toString());
    long agree = back.filter("diagnosis = predictedLabel").count();
    assertTrue(agree > 0.9 * 569, agree + " of 569 predicted right");

    Run e = run("evaluate", "--model", model, "--data", hdfs.url("/data/breast_cancer.csv"),
        "--label", "diagnosis", "--json");
    assertEquals(0, e.code(), e.err());
    double accuracy = new ObjectMapper().readTree(e.out()).get("accuracy").asDouble();
    assertEquals(agree / 569.0, accuracy, 1e-9, "evaluate and predict read the same model");
  }
}
