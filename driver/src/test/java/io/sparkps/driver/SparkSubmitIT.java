package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.io.ModelFile;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded driver jar submitted as a user's cluster would run it: {@code SparkSubmit} from the
 * Maven-resolved Spark jars, {@code --master local[2]}, in a fresh JVM whose classpath holds
 * Spark but none of SparkPS's own classes (they come from the jar).
 */
class SparkSubmitIT {

  @Test
  void shadedJarTrainsUnderSparkSubmit(@TempDir Path tmp) throws Exception {
    Path jar = Path.of(System.getProperty("sparkps.shadedJar"));
    assertTrue(Files.isRegularFile(jar), "build the shaded jar first (mvn package): " + jar);
    List<String> sparkClasspath = Arrays.stream(System.getProperty("java.class.path")
        .split(File.pathSeparator))
        .filter(e -> !e.contains("sparkps-") && !e.endsWith("classes")
            && !e.contains("junit") && !e.contains("opentest4j"))
        .toList();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(Arrays.asList(System.getProperty("sparkps.javaOpens").trim().split("\\s+")));
    cmd.addAll(List.of("-cp", String.join(File.pathSeparator, sparkClasspath),
        "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
        "--class", "io.sparkps.driver.SparkPsCli", "--conf", "spark.ui.enabled=false",
        jar.toString(), "train", "--epochs", "3", "--workers", "2",
        "--out", tmp.resolve("model").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("submit.log").toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "spark-submit did not finish in time");
    String log = Files.readString(tmp.resolve("submit.log"));
    assertEquals(0, p.exitValue(), log);
    assertTrue(log.contains("epoch 3: loss"), log);
    assertEquals(31, ModelFile.read(tmp.resolve("model")).params().length);
    JsonNode metrics = new ObjectMapper().readTree(tmp.resolve("model/metrics.json").toFile());
    assertTrue(metrics.get("validation").get("accuracy").asDouble() > 0.85, metrics.toString());
  }
}
