package io.sparkps.driver.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.driver.SparkPsCli;
import io.sparkps.driver.cli.RetrainCommand;
import io.sparkps.driver.data.SparkTestSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sparkps retrain} end to end on the bundled sample, in this JVM's Spark session. */
class RetrainCommandTest {

  record Run(int code, String out, String err) {
  }

  @TempDir
  Path tmp;

  @BeforeAll
  static void sharedSession() {
    SparkTestSession.get();
  }

  static Run retrain(Path registry, String... extra) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkPsCli.run(new PrintWriter(out, true), new PrintWriter(err, true),
        args(registry, extra));
    return new Run(code, out.toString(), err.toString());
  }

  /** {@code retrain} on the registry with 2 workers and 3 epochs unless {@code extra} sets them. */
  static String[] args(Path registry, String... extra) {
    List<String> a = new java.util.ArrayList<>(List.of("retrain", "--registry",
        registry.toString()));
    a.addAll(List.of(extra));
    if (!a.contains("--epochs")) {
      a.addAll(List.of("--epochs", "3"));
    }
    a.addAll(List.of("--workers", "2"));
    return a.toArray(String[]::new);
  }

  static JsonNode json(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  static String current(Path registry) throws IOException {
    return Files.readString(registry.resolve("CURRENT")).trim();
  }

  @Test
  void firstRunPromotesV1AndTheSecondWarmStartsFromIt() throws IOException {
    Path reg = tmp.resolve("registry");
    Run first = retrain(reg);
    assertEquals(RetrainCommand.PROMOTED, first.code(), first.err());
    assertTrue(first.out().contains("promoted v0001: no current version"), first.out());
    assertTrue(first.err().contains("cold start"), first.err());
    assertEquals("v0001", current(reg));
    for (String f : List.of("model.json", "params.bin", "metrics.json", "job.yaml", "data.json")) {
      assertTrue(Files.isRegularFile(reg.resolve("v0001").resolve(f)), f);
    }
    JsonNode data1 = json(reg.resolve("v0001/data.json"));
    assertEquals("first_version", data1.at("/gate/outcome").asText());
    assertEquals(569, data1.get("rows").asInt());
    assertEquals(30, data1.get("features").asInt());
    assertEquals("[\"benign\",\"malignant\"]", data1.get("classes").toString());
    byte[] v1Params = Files.readAllBytes(reg.resolve("v0001/params.bin"));

    Run second = retrain(reg);
    assertTrue(second.err().contains("warm start from v0001"), second.err());
    JsonNode gate = json(gatePath(reg, second));
    double candidate = gate.at("/gate/candidate").asDouble();
    double cur = gate.at("/gate/current").asDouble();
    assertEquals(candidate <= cur ? RetrainCommand.PROMOTED : RetrainCommand.REJECTED,
        second.code(), "the gate (margin 0, logLoss) on candidate " + candidate + " vs current "
            + cur + "\n" + second.err());
    assertEquals(RetrainCommand.PROMOTED, second.code(), "three more epochs from v0001 on the "
        + "same rows lower the validation logLoss: " + candidate + " vs " + cur);
    assertEquals("v0002", current(reg));
    assertEquals("v0001", gate.get("startedFrom").asText());
    double coldFirstEpoch = json(reg.resolve("v0001/metrics.json")).at("/history/0/trainLoss")
        .asDouble();
    double warmFirstEpoch = json(reg.resolve("v0002/metrics.json")).at("/history/0/trainLoss")
        .asDouble();
    assertTrue(warmFirstEpoch < 0.75 * coldFirstEpoch, "first-epoch loss from v0001 "
        + warmFirstEpoch + " vs cold start " + coldFirstEpoch);
    assertArrayEquals(v1Params, Files.readAllBytes(reg.resolve("v0001/params.bin")),
        "v0001 is never rewritten");
  }

  private static Path gatePath(Path reg, Run run) throws IOException {
    if (run.code() == RetrainCommand.PROMOTED) {
      return reg.resolve(current(reg)).resolve("data.json");
    }
    try (Stream<Path> rejected = Files.list(reg.resolve("rejected"))) {
      return rejected.findFirst().orElseThrow().resolve("data.json");
    }
  }

  @Test
  void aWorseCandidateIsRejectedWithExitCode3AndKeptForAudit() throws IOException {
    Path reg = tmp.resolve("registry");
    assertEquals(0, retrain(reg).code());
    byte[] pointer = Files.readAllBytes(reg.resolve("CURRENT"));
    // one epoch of plain SGD with a huge step throws the warm start far off
    Run bad = retrain(reg, "--optimizer", "sgd", "--lr", "500", "--epochs", "1");
    assertEquals(RetrainCommand.REJECTED, bad.code(), bad.out() + bad.err());
    assertTrue(bad.out().contains("CURRENT still names v0001"), bad.out());
    assertArrayEquals(pointer, Files.readAllBytes(reg.resolve("CURRENT")));
    assertFalse(Files.exists(reg.resolve("v0002")), "a rejected candidate is never a version");
    Path audit = gatePath(reg, bad);
    assertTrue(audit.getParent().getFileName().toString().matches("\\d{8}T\\d{6}\\.\\d{3}Z"),
        audit.toString());
    JsonNode gate = json(audit).get("gate");
    assertEquals("rejected", gate.get("outcome").asText());
    assertTrue(gate.get("candidate").asDouble() > gate.get("current").asDouble(), gate.toString());
    assertTrue(Files.isRegularFile(audit.resolveSibling("metrics.json")));
  }

  @Test
  void aCrashInPromotionFailsWithExitCode1AndLeavesCurrentReadable() throws IOException {
    Path reg = tmp.resolve("registry");
    assertEquals(0, retrain(reg).code());
    StringWriter err = new StringWriter();
    CommandLine crashing = new CommandLine(new RetrainCommand(
        (location, conf) -> new ModelRegistryTest.FailingStore(Path.of(location), false)));
    crashing.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true));
    int code = crashing.execute(Stream.of(args(reg)).skip(1).toArray(String[]::new));
    assertEquals(RetrainCommand.FAILED, code, err.toString());
    assertTrue(err.toString().contains("simulated crash before pointing CURRENT at v0002")
        && err.toString().contains("CURRENT still names v0001"), err.toString());
    assertEquals("v0001", current(reg));

    Run after = retrain(reg, "--margin", "1");
    assertEquals(RetrainCommand.PROMOTED, after.code(), after.err());
    assertTrue(after.err().contains("warm start from v0001"), after.err());
    assertTrue(after.out().contains("promoted v0003"), after.out());
  }

  /** A store on which another retrain promotes just before this one takes the lock. */
  static final class RacingStore extends LocalRegistryStore {
    private boolean raced;

    RacingStore(Path root) {
      super(root);
    }

    @Override
    public boolean createLock(String owner) throws IOException {
      if (!raced) {
        raced = true;
        new ModelRegistry(new LocalRegistryStore(root())).promote(
            ModelRegistryTest.candidate(1));
      }
      return super.createLock(owner);
    }
  }

  @Test
  void aRetrainWhoseCurrentMovedMeanwhileDoesNotPromote() throws IOException {
    Path reg = tmp.resolve("registry");
    assertEquals(0, retrain(reg).code());
    StringWriter err = new StringWriter();
    CommandLine racing = new CommandLine(new RetrainCommand(
        (location, conf) -> new RacingStore(Path.of(location))));
    racing.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true));
    int code = racing.execute(Stream.of(args(reg, "--margin", "1")).skip(1)
        .toArray(String[]::new));
    assertEquals(RetrainCommand.FAILED, code, err.toString());
    assertTrue(err.toString().contains("did not promote: CURRENT of " + reg
        + " moved from v0001 to v0002"), err.toString());
    assertEquals("v0002", current(reg), "the other retrain's version stays current");
    assertFalse(Files.exists(reg.resolve("v0003")), "this run wrote no version");
  }

  @Test
  void dataWithOtherColumnsIsBadInput() throws IOException {
    Path reg = tmp.resolve("registry");
    assertEquals(0, retrain(reg).code());
    Path fewer = tmp.resolve("fewer-columns.csv");
    Files.write(fewer, Files.readAllLines(io.sparkps.core.TestData.dir()
        .resolveSibling("sample/breast_cancer.csv")).stream().map(l -> l.substring(l.indexOf(',') + 1))
        .toList());
    Run r = retrain(reg, "--data", fewer.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("29") && r.err().contains("30"), r.err());
    assertEquals("v0001", current(reg));
    assertEquals(List.of("CURRENT", "v0001"), list(reg));
  }

  @Test
  void helpListsTheExitCodes() {
    Run r = retrain(tmp, "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Exit codes:") && r.out().contains("rejected by the gate"),
        r.out());
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
