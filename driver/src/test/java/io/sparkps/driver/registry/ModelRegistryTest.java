package io.sparkps.driver.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.Standardizer;
import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions, the pointer and failures in the middle of a promotion, without Spark. */
class ModelRegistryTest {

  @TempDir
  Path root;

  static ModelRegistry.Candidate candidate(float value) {
    ModelSpec spec = ModelSpec.logistic(2);
    TrainingConfig cfg = new TrainingConfig(1, 8, Adam.of(new LearningRateSchedule.Constant(0.01)),
        new Regularizer(0, 0), 0, 1L, 0.2, 0);
    ModelHeader header = ModelHeader.of(spec, List.of("a", "b"), List.of("no", "yes"),
        Standardizer.identity(2), cfg, Map.of("validation.logLoss", 0.5));
    return new ModelRegistry.Candidate(header, new float[] {value, value, value},
        Map.of("data.json", "{}".getBytes()));
  }

  /** A local store that fails at one step, as a crash there would. */
  static final class FailingStore extends LocalRegistryStore {
    private final boolean failWritingModel;

    FailingStore(Path root, boolean failWritingModel) {
      super(root);
      this.failWritingModel = failWritingModel;
    }

    @Override
    public void writeModel(String name, ModelHeader header, float[] params,
        Map<String, byte[]> extraFiles) throws IOException {
      if (failWritingModel) {
        throw new IOException("simulated crash before writing " + name);
      }
      super.writeModel(name, header, params, extraFiles);
    }

    @Override
    public void writePointer(String version) throws IOException {
      throw new IOException("simulated crash before pointing CURRENT at " + version);
    }
  }

  @Test
  void promotesNumberedVersionsAndMovesThePointer() throws IOException {
    ModelRegistry reg = new ModelRegistry(new LocalRegistryStore(root));
    assertEquals(Optional.empty(), reg.current());
    assertEquals("v0001", reg.promote(candidate(1)));
    assertEquals("v0002", reg.promote(candidate(2)));
    assertEquals("v0002\n", Files.readString(root.resolve("CURRENT")));
    assertEquals("v0002", reg.current().orElseThrow().name());
    assertArrayEquals(new float[] {2, 2, 2}, reg.current().orElseThrow().model().params());
    assertEquals(List.of("v0001", "v0002"), reg.versions());
    assertTrue(Files.isRegularFile(root.resolve("v0001/data.json")));
    try (var left = Files.list(root)) {
      assertEquals(List.of("CURRENT", "v0001", "v0002"), left.map(p -> p.getFileName()
          .toString()).sorted().toList(), "no temporary files are left");
    }
  }

  @Test
  void crashBetweenVersionAndPointerLeavesThePreviousVersionCurrent() throws IOException {
    new ModelRegistry(new LocalRegistryStore(root)).promote(candidate(1));
    byte[] before = Files.readAllBytes(root.resolve("v0001/params.bin"));
    ModelRegistry crashing = new ModelRegistry(new FailingStore(root, false));
    IOException e = assertThrows(IOException.class, () -> crashing.promote(candidate(2)));
    assertTrue(e.getMessage().contains("before pointing CURRENT at v0002"), e.getMessage());

    ModelRegistry reg = new ModelRegistry(new LocalRegistryStore(root));
    assertEquals("v0001", reg.current().orElseThrow().name(), "CURRENT is unchanged");
    assertArrayEquals(before, Files.readAllBytes(root.resolve("v0001/params.bin")));
    assertEquals(List.of("v0001", "v0002"), reg.versions(), "the orphan is complete and kept");
    assertEquals("v0003", reg.promote(candidate(3)), "the orphan's number is not reused");
    assertEquals("v0003", reg.current().orElseThrow().name());
  }

  @Test
  void crashBeforeWritingTheVersionLeavesNothingBehind() throws IOException {
    new ModelRegistry(new LocalRegistryStore(root)).promote(candidate(1));
    assertThrows(IOException.class,
        () -> new ModelRegistry(new FailingStore(root, true)).promote(candidate(2)));
    ModelRegistry reg = new ModelRegistry(new LocalRegistryStore(root));
    assertEquals("v0001", reg.current().orElseThrow().name());
    assertEquals(List.of("v0001"), reg.versions());
  }

  @Test
  void neverOverwritesAVersion() throws IOException {
    LocalRegistryStore store = new LocalRegistryStore(root);
    ModelRegistry reg = new ModelRegistry(store);
    reg.promote(candidate(1));
    byte[] before = Files.readAllBytes(root.resolve("v0001/params.bin"));
    assertThrows(FileAlreadyExistsException.class, () -> store.writeModel("v0001",
        candidate(9).header(), candidate(9).params(), Map.of()));
    assertArrayEquals(before, Files.readAllBytes(root.resolve("v0001/params.bin")));
    Files.createDirectories(root.resolve("v0007"));
    assertEquals("v0008", reg.nextVersion(), "numbers only grow, past any directory there");
  }

  @Test
  void rejectedCandidatesGoUnderRejectedWithoutTouchingThePointer() throws IOException {
    ModelRegistry reg = new ModelRegistry(new LocalRegistryStore(root));
    reg.promote(candidate(1));
    Instant at = Instant.parse("2026-01-31T12:00:00.250Z");
    assertEquals("rejected/20260131T120000.250Z", reg.reject(candidate(2), at));
    assertEquals("rejected/20260131T120000.250Z-2", reg.reject(candidate(3), at));
    assertEquals("v0001", reg.current().orElseThrow().name());
    assertEquals(List.of("v0001"), reg.versions());
    assertEquals("v0002", reg.nextVersion());
  }

  @Test
  void aDamagedPointerIsReportedWithTheFix() throws IOException {
    ModelRegistry reg = new ModelRegistry(new LocalRegistryStore(root));
    reg.promote(candidate(1));
    Files.writeString(root.resolve("CURRENT"), "v0009\n");
    IOException e = assertThrows(IOException.class, reg::current);
    assertTrue(e.getMessage().endsWith("names v0009, but there is no such version; the versions "
        + "are [v0001], so write one of them into CURRENT"), e.getMessage());
  }

  @Test
  void hadoopStoreKeepsTheSameLayoutAndGuarantees() throws Exception {
    RegistryStore store = HadoopRegistryStore.open(root.resolve("hdfs-like").toUri(),
        new org.apache.hadoop.conf.Configuration());
    ModelRegistry reg = new ModelRegistry(store);
    assertEquals(Optional.empty(), reg.current());
    assertEquals("v0001", reg.promote(candidate(1)));
    assertEquals("v0002", reg.promote(candidate(2)));
    assertEquals("v0002", reg.current().orElseThrow().name());
    assertArrayEquals(new float[] {2, 2, 2}, reg.current().orElseThrow().model().params());
    assertEquals("{}", new String(store.readFile("v0001", "data.json")));
    assertThrows(FileAlreadyExistsException.class, () -> store.writeModel("v0001",
        candidate(9).header(), candidate(9).params(), Map.of()));
    reg.reject(candidate(3), Instant.parse("2026-01-31T12:00:00Z"));
    assertEquals(List.of("v0001", "v0002"), reg.versions());
    assertEquals(List.of("20260131T120000.000Z"), store.listDirectories("rejected"));
  }
}
