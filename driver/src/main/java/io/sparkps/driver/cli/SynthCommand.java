package io.sparkps.driver.cli;

import io.sparkps.core.data.SynthData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
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

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "CSV file to write: a local path or any Hadoop URI (hdfs://, s3a://).")
  String out;

  @Override
  public Integer call() throws IOException {
    if (rows < 1 || rows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--rows must be 1 to " + Integer.MAX_VALUE + ", got "
          + rows);
    }
    long cut = (long) Math.floor(0.8 * rows);
    long from = part == Part.test ? cut : 0;
    long to = part == Part.train ? cut : rows;
    if (out.contains("://") && !out.startsWith("file:")) {
      writeHadoop(from, to);
    } else {
      Path target = out.startsWith("file:") ? Path.of(URI.create(out)) : Path.of(out);
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        SynthData.writeCsv(from, to, w);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
    spec.commandLine().getOut().printf("wrote rows %d..%d of synth-%d to %s%n", from, to - 1,
        rows, out);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Writes to a temporary sibling on the Hadoop file system of {@code out}, then renames. */
  private void writeHadoop(long from, long to) throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out);
    FileContext fc = FileContext.getFileContext(target.toUri(), new Configuration());
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(),
        "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(fc.create(tmp,
          EnumSet.of(CreateFlag.CREATE), Options.CreateOpts.createParent()),
          StandardCharsets.UTF_8))) {
        SynthData.writeCsv(from, to, w);
      }
      fc.rename(tmp, target, Options.Rename.OVERWRITE);
    } finally {
      fc.delete(tmp, false);
    }
  }
}
