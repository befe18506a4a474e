package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person at a console sees, from the command line as {@code bin/sparkps} runs it (its own
 * JVM, {@code deploy/conf/log4j2.properties}, standard error not a terminal): one line per epoch,
 * not a second INFO line of the trainer; one line per error, with Spark's ERROR lines and the
 * stack trace in the log file instead of in front of it.
 */
class ConsoleOutputTest {
  private static final Path LOG_CONFIG = io.sparkps.core.TestData.dir()
      .resolve("../../deploy/conf/log4j2.properties").normalize();

  record Run(int code, String out, List<String> err) {
  }

  private static Run sparkps(Path tmp, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
        .stream().filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore")
            || a.startsWith("-Djdk.reflect")).toList());
    cmd.addAll(List.of("-Dlog4j2.configurationFile=" + LOG_CONFIG,
        "-Dsparkps.log.file=" + tmp.resolve("sparkps.log"),
        "-cp", System.getProperty("java.class.path"), "io.sparkps.driver.SparkPsCli"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out.txt").toFile())
        .redirectError(tmp.resolve("err.txt").toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    assertTrue(p.waitFor(150, TimeUnit.SECONDS), "sparkps " + args[0] + " did not end");
    return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt")),
        Files.readAllLines(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  private static long count(List<String> lines, String start) {
    return lines.stream().filter(l -> l.startsWith(start)).count();
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void epochsShowOnceAndAnErrorIsOneLine(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("model");
    Run train = sparkps(tmp, "train", "--model", "logistic", "--epochs", "2", "--patience",
        "0", "--workers", "2", "--out", model.toString());
    assertEquals(0, train.code(), String.join("\n", train.err()));
    assertEquals(1, count(train.err(), "epoch 1: loss"), String.join("\n", train.err()));
    assertEquals(1, count(train.err(), "epoch 2: loss"), String.join("\n", train.err()));
    assertTrue(train.err().stream().noneMatch(l -> l.contains(" INFO ")),
        "INFO lines go to the log file:\n" + String.join("\n", train.err()));
    String log = Files.readString(tmp.resolve("sparkps.log"));
    assertTrue(log.contains("DistributedTrainer: epoch 2: rounds"), log);

    List<String> rows = new ArrayList<>(Files.readAllLines(io.sparkps.driver.cli.SampleData
        .extract()));
    rows.set(3, "J" + rows.get(3).substring(rows.get(3).indexOf(',')));
    Path bad = Files.write(tmp.resolve("bad.csv"), rows);
    Run eval = sparkps(tmp, "evaluate", "--model", model.toString(), "--data", bad.toString());
    assertEquals(2, eval.code(), String.join("\n", eval.err()));
    assertEquals(1, eval.err().size(), "one line, nothing in front of it:\n"
        + String.join("\n", eval.err()));
    assertTrue(eval.err().get(0).startsWith("sparkps evaluate: ")
        && eval.err().get(0).contains("holds 'J', which is not a number"), eval.err().get(0));
    log = Files.readString(tmp.resolve("sparkps.log"));
    assertTrue(log.contains("ERROR") && log.contains("sparkps evaluate failed")
        && log.contains("\tat "), "the stack trace is in the log file:\n" + log);
  }
}
