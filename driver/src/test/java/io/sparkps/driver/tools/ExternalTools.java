package io.sparkps.driver.tools;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The programs outside Maven that some tests need (headless Chromium, Debian's Python with
 * Jupyter): found on the machine or the test fails with the Debian packages to install
 * ({@code bin/test} installs them). These tests never skip: a machine without the tools would
 * otherwise pass without checking the report page, the notebooks or the README.
 */
public final class ExternalTools {
  /** The Debian packages the report, notebook and README tests use. */
  public static final String PACKAGES = "chromium jupyter-notebook python3-nbclient "
      + "python3-ipykernel python3-matplotlib python3-pandas";

  private ExternalTools() {
  }

  /** The repository's root (Maven runs the driver's tests in {@code driver/}). */
  public static Path root() {
    String prop = System.getProperty("sparkps.root");
    Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath().getParent();
    return p.toAbsolutePath().normalize();
  }

  /** The Chromium binary, or a failed test naming the package. */
  public static Path chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return fail("headless Chromium is not installed, and the report test renders the page in it; "
        + "install Debian's package 'chromium' (apt-get install -y chromium), or run bin/test, "
        + "which installs " + PACKAGES);
  }

  /** Debian's Python with the Jupyter modules, or a failed test naming the packages. */
  public static Path debianPython() {
    Path python = Path.of("/usr/bin/python3");
    if (!Files.isExecutable(python)) {
      fail("/usr/bin/python3 is missing; the notebook tests need Debian's python3 with "
          + PACKAGES + " (apt-get install -y " + PACKAGES + ", or run bin/test)");
    }
    Result r = run(List.of(python.toString(), "-c",
        "import nbclient, nbformat, ipykernel, matplotlib, pandas"), root(), 60);
    if (r.code() != 0) {
      fail("Debian's python3 lacks a module the notebooks need (" + r.output().strip()
          + "); install " + PACKAGES + " with apt-get install -y, or run bin/test");
    }
    return python;
  }

  /** What a finished process printed (stdout and stderr together) and its exit code. */
  public record Result(int code, String output) {
  }

  /** Runs {@code command} in {@code dir}, killing it after {@code seconds}. */
  public static Result run(List<String> command, Path dir, long seconds) {
    return run(command, dir, seconds, java.util.Map.of());
  }

  /** As {@link #run(List, Path, long)}, with extra environment variables. */
  public static Result run(List<String> command, Path dir, long seconds,
      java.util.Map<String, String> env) {
    try {
      Path log = Files.createTempFile("sparkps-tool-", ".log");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor();
          return fail(String.join(" ", command) + " did not end within " + seconds
              + " s; its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return fail("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while running " + command.get(0));
    }
  }
}
