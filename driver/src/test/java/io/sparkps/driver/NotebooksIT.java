package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.driver.tools.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Executes every notebook of {@code notebooks-data/notebooks/} headlessly with Debian's Jupyter
 * (nbclient, through {@code run_notebooks.py}) after {@code package}, when {@code bin/sparkps}
 * runs the built driver; any cell error fails the test with the cell and its traceback. Without
 * Debian's python3-nbclient, python3-ipykernel, python3-matplotlib and python3-pandas the test
 * fails and names them.
 */
class NotebooksIT {

  static List<Path> notebooks() throws Exception {
    return NotebookFilesTest.notebooks();
  }

  @ParameterizedTest
  @MethodSource("notebooks")
  void runsWithoutACellError(Path notebook, @TempDir Path work) {
    Path python = ExternalTools.debianPython();
    Path root = ExternalTools.root();
    ExternalTools.Result r = ExternalTools.run(List.of(python.toString(),
        root.resolve("notebooks-data/notebooks/run_notebooks.py").toString(),
        notebook.toString()), root, 900, Map.of("SPARKPS_SKIP_BUILD", "1",
            "SPARKPS_NOTEBOOK_WORK", work.toString()));
    assertEquals(0, r.code(), notebook.getFileName() + " failed:\n" + r.output());
    assertTrue(r.output().contains(notebook.getFileName() + ": "), r.output());
    assertTrue(Files.exists(work), "the notebook wrote into its work folder");
  }
}
