package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.driver.tools.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed notebooks carry no outputs (they are stripped before commit, so diffs show code
 * only and no stale results are published); {@code NotebooksIT} executes them.
 */
class NotebookFilesTest {

  static List<Path> notebooks() throws Exception {
    try (Stream<Path> s = Files.list(ExternalTools.root().resolve("notebooks-data/notebooks"))) {
      return s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
  }

  @Test
  void committedNotebooksHaveNoOutputs() throws Exception {
    List<Path> notebooks = notebooks();
    assertEquals(4, notebooks.size(), "quick start, MLlib comparison, retraining, click-through: "
        + notebooks);
    for (Path nb : notebooks) {
      JsonNode root = new ObjectMapper().readTree(nb.toFile());
      int code = 0;
      for (JsonNode cell : root.get("cells")) {
        if (!"code".equals(cell.path("cell_type").asText())) {
          continue;
        }
        code++;
        assertEquals(0, cell.path("outputs").size(), nb.getFileName() + ": a code cell has "
            + "outputs; clear them before committing (jupyter nbconvert --clear-output "
            + "--inplace " + nb.getFileName() + ")");
        assertTrue(cell.path("execution_count").isNull(), nb.getFileName()
            + ": a code cell has an execution count; clear the outputs before committing");
      }
      assertTrue(code >= 4, nb.getFileName() + " has only " + code + " code cells");
    }
  }
}
