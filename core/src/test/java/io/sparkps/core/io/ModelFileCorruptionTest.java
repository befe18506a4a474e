package io.sparkps.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkps.core.model.ModelSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileCorruptionTest {

  @TempDir
  Path root;
  Path dir;
  Path params;
  Path json;
  ModelHeader written;

  @BeforeEach
  void writeModel() throws IOException {
    ModelSpec spec = ModelFileTest.mlp();
    dir = root.resolve("model");
    written = ModelFile.write(dir, ModelFileTest.header(spec, List.of("a", "b", "c")),
        ModelFileTest.params(spec, 3));
    params = dir.resolve("params.bin");
    json = dir.resolve("model.json");
  }

  private String readFailure() {
    return assertThrows(ModelFormatException.class, () -> ModelFile.read(dir)).getMessage();
  }

  private void editHeader(String field, Object value) throws IOException {
    ObjectNode tree = (ObjectNode) ModelJson.newMapper().readTree(json.toFile());
    tree.putPOJO(field, value);
    Files.write(json, ModelJson.newMapper().writeValueAsBytes(tree));
  }

  @Test
  void flippedByteFailsTheChecksum() throws IOException {
    byte[] bytes = Files.readAllBytes(params);
    bytes[17] ^= 0x40;
    Files.write(params, bytes);
    String message = readFailure();
    assertTrue(message.startsWith(params + " is corrupt: its CRC32C checksum is "), message);
    assertTrue(message.contains("but model.json expects " + written.checksum() + "; "), message);
  }

  @Test
  void truncatedPayloadNamesExpectedAndFoundBytes() throws IOException {
    int count = written.parameterCount();
    try (FileChannel ch = FileChannel.open(params, StandardOpenOption.WRITE)) {
      ch.truncate(4L * count - 6);
    }
    assertEquals(params + " is truncated: model.json declares " + count + " parameters, which take "
        + 4L * count + " bytes, but the file has " + (4L * count - 6) + " bytes; the copy or write "
        + "was interrupted, so copy the model again", readFailure());
  }

  @Test
  void extraBytesAreRefusedToo() throws IOException {
    Files.write(params, new byte[] {0, 0, 0, 0}, StandardOpenOption.APPEND);
    assertTrue(readFailure().contains("belong to different models"));
  }

  @Test
  void unknownFormatVersionIsRefused() throws IOException {
    editHeader("formatVersion", 99);
    String message = readFailure();
    assertTrue(message.startsWith(json + " has formatVersion 99, but this SparkPS ("), message);
    assertTrue(message.endsWith(") reads formatVersion 1 to 2; load it with the SparkPS version "
        + "that wrote it, or a newer one"), message);
  }

  @Test
  void parameterCountMustMatchTheSpec() throws IOException {
    editHeader("parameterCount", 7);
    assertEquals(json + " declares parameterCount 7, but its spec (mlp [4, 5, 3, 3]) has "
        + written.parameterCount() + " parameters; the header was edited or damaged, so restore it",
        readFailure());
  }

  @Test
  void unknownPropertiesAreIgnoredForForwardCompatibility() throws IOException {
    editHeader("addedInALaterRelease", List.of(1, 2));
    assertEquals(written.checksum(), ModelFile.read(dir).header().checksum());
  }

  @Test
  void malformedJsonNamesTheFile() throws IOException {
    Files.writeString(json, "{\"formatVersion\": 1, \"spec\": ");
    String message = readFailure();
    assertTrue(message.startsWith(json + " is not valid JSON: "), message);
  }

  @Test
  void invalidHeaderFieldNamesTheProblem() throws IOException {
    editHeader("labels", List.of("just-one"));
    String message = readFailure();
    assertTrue(message.startsWith(json + " is not a valid model header: "), message);
    assertTrue(message.contains("needs 3 class labels in class-index order, got 1"), message);
  }

  @Test
  void missingParamsFile() throws IOException {
    Files.delete(params);
    assertEquals("model directory " + dir + " has no params.bin; a model holds model.json and "
        + "params.bin, so copy the whole directory again", readFailure());
  }

  @Test
  void missingHeaderFile() throws IOException {
    Files.delete(json);
    assertTrue(readFailure().startsWith("model directory " + dir + " has no model.json; "));
  }

  @Test
  void missingDirectoryPointsAtAnInterruptedReplacement() throws IOException {
    Path absent = root.resolve("nothing-here");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ModelFile.read(absent));
    assertEquals(absent + ": no model directory there; check the path", e.getMessage());

    Files.move(dir, root.resolve(".model.old-42"));
    e = assertThrows(NoSuchFileException.class, () -> ModelFile.read(dir));
    assertEquals(dir + ": no model directory there, but .model.old-42 holds the previous model, "
        + "left by an interrupted replacement; rename it to model to recover it", e.getMessage());
  }
}
