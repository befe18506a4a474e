package io.sparkps.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.DenseSpec;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.ParameterLayout;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.Task;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.train.TrainingConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

  @TempDir
  Path root;

  static ModelHeader header(ModelSpec spec, List<String> labels) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", 0.875);
    metrics.put("logLoss", 0.3125);
    metrics.put("r2", Double.NaN);
    double[] mean = new double[spec.inputs()];
    double[] scale = new double[spec.inputs()];
    for (int j = 0; j < mean.length; j++) {
      mean[j] = 0.1 * j - 1;
      scale[j] = 1.5 + j;
    }
    TrainingConfig training = new TrainingConfig(3, 32,
        Adam.of(new LearningRateSchedule.Constant(0.01)), Regularizer.l2(1e-4), 0, 42L,
        0.1, 2);
    return ModelHeader.of(spec, ModelHeader.defaultFeatureNames(spec.inputs()), labels,
        new Standardizer(mean, scale), training, metrics);
  }

  static DenseSpec mlp() {
    return ModelSpec.mlp(4, List.of(5, 3), Activation.TANH, Task.MULTICLASS, 3, new Loss.SquaredError());
  }

  static float[] params(ModelSpec spec, long seed) {
    Random rnd = new Random(seed);
    float[] p = new float[spec.build().parameterCount()];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) rnd.nextGaussian();
    }
    p[0] = Float.MIN_VALUE;
    p[1] = -0.0f;
    p[2] = Float.MAX_VALUE;
    return p;
  }

  @Test
  void roundTripKeepsEverythingBitForBit() throws IOException {
    ModelSpec spec = mlp();
    float[] params = params(spec, 1);
    Path dir = root.resolve("model");
    ModelHeader written = ModelFile.write(dir, header(spec, List.of("a", "b", "c")), params);

    LoadedModel loaded = ModelFile.read(dir);
    assertEquals(written, withoutArrays(loaded.header(), written));
    assertEquals(spec, loaded.header().spec());
    assertEquals(List.of("a", "b", "c"), loaded.header().labels());
    assertEquals(List.of("f0", "f1", "f2", "f3"), loaded.header().featureNames());
    assertArrayEquals(written.standardization().mean(), loaded.header().standardization().mean());
    assertArrayEquals(written.standardization().scale(), loaded.header().standardization().scale());
    assertEquals(written.metrics(), loaded.header().metrics());
    assertTrue(loaded.header().metrics().get("r2").isNaN());
    assertEquals(written.training().optimizer(), loaded.header().training().optimizer());
    assertEquals(params.length, loaded.header().parameterCount());
    assertEquals(8, loaded.header().checksum().length());
    for (int i = 0; i < params.length; i++) {
      assertEquals(Float.floatToRawIntBits(params[i]), Float.floatToRawIntBits(loaded.params()[i]));
    }
    try (Stream<Path> files = Files.list(root)) {
      assertEquals(List.of(dir), files.toList(), "no temporary directory is left behind");
    }
  }

  /** Records with arrays compare by identity; borrow the written standardizer to compare the rest. */
  private static ModelHeader withoutArrays(ModelHeader h, ModelHeader like) {
    return new ModelHeader(h.formatVersion(), h.sparkpsVersion(), h.createdAt(), h.spec(),
        h.featureNames(), h.labels(), like.standardization(), h.training(), like.metrics(),
        h.parameterCount(), h.checksum(), h.hashing(), h.labelColumn());
  }

  @Test
  void paramsFileIsLittleEndianFloatsAndNothingElse() throws IOException {
    ModelSpec spec = ModelSpec.linear(2, new Loss.Huber(1.0));
    Path dir = root.resolve("linear");
    ModelFile.write(dir, header(spec, List.of()), new float[] {1.5f, -2f, 0.25f});
    byte[] bytes = Files.readAllBytes(dir.resolve("params.bin"));
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(12, bytes.length);
    assertEquals(1.5f, b.getFloat());
    assertEquals(-2f, b.getFloat());
    assertEquals(0.25f, b.getFloat());
    String json = Files.readString(dir.resolve("model.json"));
    assertTrue(json.contains("\"formatVersion\" : 2"), json);
    assertTrue(json.contains("\"type\" : \"dense\""), "the spec is typed: " + json);
    assertFalse(json.contains("\"identity\""), "derived isX() values stay out: " + json);
    assertEquals(new Loss.Huber(1.0), ModelFile.read(dir).header().spec().loss());
  }

  @Test
  void formatVersionOneFilesOfDenseModelsStillLoad() throws IOException {
    ModelSpec spec = mlp();
    float[] params = params(spec, 3);
    Path dir = root.resolve("old");
    ModelFile.write(dir, header(spec, List.of("a", "b", "c")), params);
    // rewrite the header as format version 1 wrote it: no spec type; checksum unchanged
    Path json = dir.resolve("model.json");
    String v2 = Files.readString(json);
    String v1 = v2.replace("\"formatVersion\" : 2", "\"formatVersion\" : 1")
        .replaceFirst("\"type\" : \"dense\",\\s*", "");
    assertFalse(v1.contains("\"dense\""), v1);
    Files.writeString(json, v1);

    LoadedModel loaded = ModelFile.read(dir);
    assertEquals(spec, loaded.header().spec());
    assertEquals(2, loaded.header().formatVersion(), "read as the current version");
    assertArrayEquals(params, loaded.params());

    Files.writeString(json, v2.replace("\"formatVersion\" : 2", "\"formatVersion\" : 3"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(dir));
    assertTrue(e.getMessage().contains("formatVersion 3") && e.getMessage().contains("1 to 2"),
        e.getMessage());
  }

  @Test
  void refusesToOverwriteUnlessAsked() throws IOException {
    ModelSpec spec = ModelSpec.logistic(3);
    Path dir = root.resolve("m");
    ModelFile.write(dir, header(spec, List.of("no", "yes")), params(spec, 1));
    FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
        () -> ModelFile.write(dir, header(spec, List.of("no", "yes")), params(spec, 2)));
    assertTrue(e.getMessage().contains("a model already exists there; choose another path, or "
        + "write with ModelFile.Mode.REPLACE_EXISTING"), e.getMessage());
    assertArrayEquals(params(spec, 1), ModelFile.read(dir).params());

    ModelFile.write(dir, header(spec, List.of("no", "yes")), params(spec, 2),
        ModelFile.Mode.REPLACE_EXISTING);
    assertArrayEquals(params(spec, 2), ModelFile.read(dir).params());
    try (Stream<Path> files = Files.list(root)) {
      assertEquals(List.of(dir), files.toList(), "the old model and the temporary are gone");
    }
  }

  @Test
  void leftoverTempDirectoryFromACrashDoesNotAffectReading() throws IOException {
    ModelSpec spec = ModelSpec.softmax(2, 3);
    Path dir = root.resolve("m");
    ModelFile.write(dir, header(spec, List.of("x", "y", "z")), params(spec, 5));
    Path crashed = Files.createDirectory(root.resolve(".m.tmp-12345"));
    Files.writeString(crashed.resolve("model.json"), "{\"formatVersion\": 1, \"spec\": {");
    Files.write(crashed.resolve("params.bin"), new byte[] {1, 2, 3});

    assertArrayEquals(params(spec, 5), ModelFile.read(dir).params());
    ModelFile.write(dir, header(spec, List.of("x", "y", "z")), params(spec, 6),
        ModelFile.Mode.REPLACE_EXISTING);
    assertArrayEquals(params(spec, 6), ModelFile.read(dir).params());
  }

  @Test
  void refusesParametersThatDoNotFitTheSpec() {
    ModelSpec spec = ModelSpec.logistic(3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelFile.write(root.resolve("m"), header(spec, List.of("n", "y")), new float[3]));
    assertEquals("the model spec needs 4 parameters but 3 were given; pass the parameter vector "
        + "of this model", e.getMessage());
    assertFalse(Files.exists(root.resolve("m")));
  }

  @Test
  void headerValidatesLabelsAndFeaturesAgainstTheSpec() {
    ModelSpec spec = ModelSpec.logistic(3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> header(spec, List.of("only-one")));
    assertEquals("a BINARY model needs 2 class labels in class-index order, got 1 [only-one]",
        e.getMessage());
  }
}
