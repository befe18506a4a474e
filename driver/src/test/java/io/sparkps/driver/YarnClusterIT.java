package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.LocalFiles;
import io.sparkps.driver.hdfs.MiniHdfs;
import io.sparkps.driver.io.HadoopModels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar submitted by {@code deploy/submit.sh --master yarn} to a real YARN cluster in
 * this JVM (Hadoop's {@link MiniYARNCluster}: a resource manager and one node manager that
 * launches the application master and the executors as separate JVMs) over a real HDFS
 * ({@link MiniHdfs}), in client and in cluster deploy mode, each training from {@code hdfs://}
 * data to a model on {@code hdfs://}. Spark comes from the Maven-resolved jars (with
 * {@code spark-yarn}), as {@code deploy/local-cluster.sh} lays them out; the containers find
 * them on the local disk ({@code spark.yarn.jars=local:...}), so nothing large is uploaded.
 */
class YarnClusterIT {
  private static final Path ROOT = Path.of(System.getProperty("sparkps.root"));
  private static MiniHdfs hdfs;
  private static MiniYARNCluster yarn;
  private static Path work;

  @BeforeAll
  static void startClusters() throws Exception {
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "yarn-it-");
    hdfs = MiniHdfs.start();
    YarnConfiguration conf = new YarnConfiguration();
    conf.set("fs.defaultFS", hdfs.uri().toString());
    // FIFO: the shaded minicluster has no capacity-scheduler.xml, and no AM share limit applies
    conf.set(YarnConfiguration.RM_SCHEDULER,
        "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
    conf.setInt(YarnConfiguration.NM_VCORES, 4);
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.5f);
    conf.setBoolean(YarnConfiguration.TIMELINE_SERVICE_ENABLED, false);
    yarn = new MiniYARNCluster("sparkps-yarn-it", 1, 1, 1);
    yarn.init(conf);
    yarn.start();
    assertTrue(yarn.waitForNodeManagersToConnect(60_000), "the node manager did not register");
    // the client configuration spark-submit reads from HADOOP_CONF_DIR
    Path confDir = Files.createDirectories(work.resolve("hadoop-conf"));
    for (String file : List.of("core-site.xml", "yarn-site.xml")) {
      try (OutputStream out = Files.newOutputStream(confDir.resolve(file))) {
        yarn.getConfig().writeXml(out);
      }
    }
    sparkHome(work.resolve("spark-home/jars"));
    hdfs.fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(
        ROOT.resolve("notebooks-data/data/digits.csv.gz").toUri()),
        new org.apache.hadoop.fs.Path(hdfs.url("/data/digits.csv.gz")));
  }

  /** Spark and its dependencies, SparkPS left out (it travels in the submitted jar). */
  private static void sparkHome(Path jars) throws IOException {
    Files.createDirectories(jars);
    String cp = Files.readString(ROOT.resolve("driver/target/classpath.txt")).trim();
    for (String jar : cp.split(java.io.File.pathSeparator)) {
      Path p = Path.of(jar);
      if (jar.endsWith(".jar") && !p.getFileName().toString().startsWith("sparkps-")) {
        Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
      }
    }
  }

  @AfterAll
  static void stopClusters() throws Exception {
    try {
      if (yarn != null) {
        yarn.stop();
      }
    } finally {
      if (hdfs != null) {
        hdfs.close();
      }
    }
    // kept, with the containers' logs, only when a stop failed (a failed test prints the logs)
    LocalFiles.deleteTree(work);
    LocalFiles.deleteTree(Path.of("target", "test", "data", "sparkps-yarn-it"));
  }

  record Run(int code, String output) {
  }

  private static Run submit(String mode, String out) throws Exception {
    String javaHome = System.getProperty("java.home");
    Path jars = work.resolve("spark-home/jars");
    List<String> cmd = new ArrayList<>(List.of("deploy/submit.sh", "--master", "yarn",
        "--deploy-mode", mode, "--num-executors", "1", "--executor-cores", "2",
        "--executor-memory", "768m", "--driver-memory", "512m",
        "--conf", "spark.yarn.am.memory=256m", "--conf", "spark.yarn.maxAppAttempts=1",
        "--conf", "spark.yarn.jars=local:" + jars + "/*",
        "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
        "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
        "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
        "--conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
        "--", "train", "--data", hdfs.url("/data/digits.csv.gz"), "--no-header",
        "--model", "softmax", "--workers", "2", "--epochs", "3", "--out", out));
    Path log = work.resolve("submit-" + mode + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HADOOP_CONF_DIR", work.resolve("hadoop-conf").toString());
    pb.environment().put("SPARK_HOME", work.resolve("spark-home").toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("JAVA_HOME", javaHome);
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Run(-1, "timed out after 300 s:\n" + Files.readString(log) + containerLogs());
    }
    String output = Files.readString(log);
    return new Run(p.exitValue(), p.exitValue() == 0 ? output : output + containerLogs());
  }

  /** The stderr of every container so far, for a failure message. */
  private static String containerLogs() throws IOException {
    StringBuilder b = new StringBuilder();
    Path dir = Path.of("target", "test", "data", "sparkps-yarn-it"); // MiniYARNCluster's
    if (!Files.isDirectory(dir)) {
      return "\n(no container logs under " + dir.toAbsolutePath() + ")";
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
        String text = Files.readString(f);
        b.append("\n--- ").append(f).append(" ---\n")
            .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
      }
    }
    return b.toString();
  }

  @Test
  void clientAndClusterModeTrainFromHdfsToTheSameModelOnHdfs() throws Exception {
    Run client = submit("client", hdfs.url("/models/client"));
    assertEquals(0, client.code(), client.output());
    Run cluster = submit("cluster", hdfs.url("/models/cluster"));
    assertEquals(0, cluster.code(), cluster.output());
    assertTrue(cluster.output().contains("final status: SUCCEEDED"), cluster.output());

    Configuration conf = hdfs.fs().getConf();
    HadoopModels models = HadoopModels.at(new org.apache.hadoop.fs.Path(hdfs.url("/models")),
        conf);
    LoadedModel a = models.read(new org.apache.hadoop.fs.Path(hdfs.url("/models/client")));
    LoadedModel b = models.read(new org.apache.hadoop.fs.Path(hdfs.url("/models/cluster")));
    assertArrayEquals(a.params(), b.params(), 1e-5f, "the same data, seed and workers");
    try (var in = hdfs.fs().open(new org.apache.hadoop.fs.Path(
        hdfs.url("/models/cluster/metrics.json")))) {
      double accuracy = new ObjectMapper().readTree(in).at("/validation/accuracy").asDouble();
      assertTrue(accuracy > 0.9, "validation accuracy " + accuracy);
    }
  }
}
