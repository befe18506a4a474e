package io.sparkps.driver.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkps.core.data.Standardizer;
import io.sparkps.core.io.ModelFile;
import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.Sgd;
import io.sparkps.core.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model directories written by rename and read back through Hadoop's local file system. */
class HadoopModelsTest {
  @TempDir
  Path tmp;

  private static ModelHeader header() {
    TrainingConfig cfg = new TrainingConfig(1, 8, Sgd.of(0.1), new Regularizer(0, 0), 0, 1L,
        0.2, 0);
    return ModelHeader.of(ModelSpec.logistic(2), List.of("a", "b"), List.of("no", "yes"),
        Standardizer.identity(2), cfg, Map.of());
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private List<String> entries() throws IOException {
    try (var s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesAModelDirectoryByRenameAndReadsItBack() throws IOException {
    HadoopModels models = HadoopModels.at(hadoop(tmp), new Configuration());
    models.write(hadoop(tmp.resolve("m")), header(), new float[] {1, 2, 3},
        Map.of("data.json", "{}".getBytes()));
    assertArrayEquals(new float[] {1, 2, 3}, models.read(hadoop(tmp.resolve("m"))).params());
    assertArrayEquals(new float[] {1, 2, 3}, ModelFile.read(tmp.resolve("m")).params());
    assertEquals("{}", Files.readString(tmp.resolve("m/data.json")));
    assertEquals(List.of("m"), entries(), "no temporary copy is left beside the model");
  }

  @Test
  void anExistingModelIsNeverReplacedAndNoTemporaryCopyIsLeft() throws IOException {
    HadoopModels models = HadoopModels.at(hadoop(tmp), new Configuration());
    models.write(hadoop(tmp.resolve("m")), header(), new float[] {1, 2, 3}, Map.of());
    assertThrows(FileAlreadyExistsException.class, () -> models.write(hadoop(tmp.resolve("m")),
        header(), new float[] {7, 8, 9}, Map.of()));
    assertArrayEquals(new float[] {1, 2, 3}, ModelFile.read(tmp.resolve("m")).params());
    assertEquals(List.of("m"), entries());
  }

  @Test
  void aModelThatCannotBeWrittenLeavesNothingAtTheTarget() throws IOException {
    HadoopModels models = HadoopModels.at(hadoop(tmp), new Configuration());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> models.write(hadoop(tmp.resolve("m")), header(), new float[] {1, 2}, Map.of()));
    assertEquals(List.of(), entries(), e.getMessage());
  }

  @Test
  void replacingAModelSwapsItWholeAndLeavesNothingBeside() throws IOException {
    HadoopModels models = HadoopModels.at(hadoop(tmp), new Configuration());
    models.write(hadoop(tmp.resolve("m")), header(), new float[] {1, 2, 3}, Map.of());
    models.write(hadoop(tmp.resolve("m")), header(), new float[] {7, 8, 9}, Map.of(),
        ModelFile.Mode.REPLACE_EXISTING);
    assertArrayEquals(new float[] {7, 8, 9}, ModelFile.read(tmp.resolve("m")).params());
    assertEquals(List.of("m"), entries());
  }

  @Test
  void aModelLocationTakesLocalPathsAndHadoopUris() throws IOException {
    Configuration conf = new Configuration();
    ModelLocation local = new ModelLocation(tmp.resolve("local").toString());
    ModelLocation uri = new ModelLocation(tmp.resolve("uri").toUri().toString());
    for (ModelLocation at : List.of(local, uri)) {
      assertEquals(false, at.exists(conf));
      at.write(header(), new float[] {4, 5, 6}, ModelFile.Mode.CREATE_NEW,
          Map.of("metrics.json", "{}".getBytes()), conf);
      assertEquals(true, at.exists(conf));
      assertArrayEquals(new float[] {4, 5, 6}, at.read(conf).params());
    }
    assertEquals(tmp.resolve("local").toString(), local.toString());
    assertEquals(List.of("local", "uri"), entries());
  }
}
