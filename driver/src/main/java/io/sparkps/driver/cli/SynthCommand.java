package io.sparkps.driver.cli;

import io.sparkps.core.data.SynthData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparkps synth}: writes the seeded benchmark dataset synth-N as CSV. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Writes synth-N, the seeded benchmark dataset (28 features, binary label, "
        + "5% label noise), as CSV: the first 80% of rows train, the rest are held out.",
        "Use --part to write just one of the two parts."})
public final class SynthCommand implements Callable<Integer> {

  /** Which rows of synth-N to write. */
  public enum Part { all, train, test }

  @Spec
  CommandSpec spec;

  @Option(names = "--rows", paramLabel = "N", required = true, description = "N, the rows of synth-N.")
  long rows;

  @Option(names = "--part", paramLabel = "PART", defaultValue = "all",
      description = "all, train (the first 80%) or test (the last 20%). Default: ${DEFAULT-VALUE}.")
  Part part;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "CSV file to write.")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (rows < 1 || rows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--rows must be 1 to " + Integer.MAX_VALUE + ", got "
          + rows);
    }
    long cut = (long) Math.floor(0.8 * rows);
    long from = part == Part.test ? cut : 0;
    long to = part == Part.train ? cut : rows;
    Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      SynthData.writeCsv(from, to, w);
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    spec.commandLine().getOut().printf("wrote rows %d..%d of synth-%d to %s%n", from, to - 1,
        rows, out);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
