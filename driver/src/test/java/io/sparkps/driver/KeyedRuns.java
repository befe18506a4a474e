package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the keyed checkpoint tests share: a small keyed factorization-machine job in sync mode
 * (deterministic, so an interrupted run must end with the uninterrupted run's bytes), a java
 * command for a second JVM on this test's class path, and the comparison of two model
 * directories.
 */
final class KeyedRuns {
  private KeyedRuns() {
  }

  /** {@code train} of a keyed fm on {@code data} into {@code out}, then {@code extra}. */
  static List<String> trainArgs(Path data, Path out, int epochs, String... extra) {
    List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--label",
        "clicked", "--categorical", "site,app", "--hash-bits", "12", "--model", "fm",
        "--factors", "4", "--epochs", Integer.toString(epochs), "--batch-size", "16",
        "--workers", "2", "--optimizer", "adagrad", "--lr", "0.05", "--seed", "7", "--sync",
        "sync", "--backend", "cpu", "--ps-layout", "keyed", "--out", out.toString()));
    a.addAll(List.of(extra));
    return a;
  }

  /** {@code java} with this JVM's module openings and class path, running {@code main}. */
  static List<String> java(String main) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
        .stream().filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore")
            || a.startsWith("-Djdk.reflect")).toList());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
    return cmd;
  }

  /**
   * Asserts that {@code actual} holds the keyed model of {@code expected} byte for byte (the
   * same part files, hence the same keys and floats) and the same epochs in its metrics.json.
   */
  static void assertSameModel(Path expected, Path actual) throws IOException {
    List<Path> want = parts(expected);
    List<Path> got = parts(actual);
    assertFalse(want.isEmpty(), "the reference run wrote parts");
    assertEquals(want.stream().map(p -> p.getFileName().toString()).toList(),
        got.stream().map(p -> p.getFileName().toString()).toList());
    for (int i = 0; i < want.size(); i++) {
      assertEquals(-1, Files.mismatch(want.get(i), got.get(i)), "part " + want.get(i)
          .getFileName() + " differs: the resumed run's keys or floats are not the "
          + "uninterrupted run's");
    }
    JsonNode a = new ObjectMapper().readTree(expected.resolve("metrics.json").toFile());
    JsonNode b = new ObjectMapper().readTree(actual.resolve("metrics.json").toFile());
    assertEquals(a.get("modelEpoch"), b.get("modelEpoch"));
    assertEquals(a.get("epochs"), b.get("epochs"), "same epochs, same stop");
    for (int e = 0; e < a.get("history").size(); e++) {
      assertEquals(a.at("/history/" + e + "/validationLoss"),
          b.at("/history/" + e + "/validationLoss"), "epoch " + (e + 1));
    }
    JsonNode ha = new ObjectMapper().readTree(expected.resolve("keyed.json").toFile());
    JsonNode hb = new ObjectMapper().readTree(actual.resolve("keyed.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) ha).remove("createdAt");
    ((com.fasterxml.jackson.databind.node.ObjectNode) hb).remove("createdAt");
    assertEquals(ha, hb, "the headers differ beyond their time of writing");
  }

  private static List<Path> parts(Path model) throws IOException {
    try (Stream<Path> s = Files.list(model.resolve("keyed"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".spkw")).sorted().toList();
    }
  }
}
