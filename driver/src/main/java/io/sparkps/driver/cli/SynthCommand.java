package io.sparkps.driver.cli;

import io.sparkps.core.data.CtrSynthData;
import io.sparkps.core.data.SynthData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sparkps synth}: writes a seeded benchmark dataset (synth-N or ctr-N) as CSV. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Writes a seeded benchmark dataset as CSV: the first 80%% of rows train, the "
        + "rest are held out; use --part to write just one of the two parts.",
        "--kind synth: synth-N, 28 Gaussian features, a binary label, 5%% label noise.",
        "--kind ctr: ctr-N, click-through rows shaped like Criteo's: 13 count columns I1..I13 "
        + "and 26 categorical columns C1..C26 of 8-hex-digit tokens (Zipf-distributed, 4 to "
        + "10^6 values), both with missing values (empty fields), and a label drawn from a known "
        + "true probability with pairwise interactions; prints the true probabilities' log loss "
        + "on the held-out rows (the Bayes log loss). See bench/README.md."})
public final class SynthCommand implements Callable<Integer> {

  /** Which rows to write. */
  public enum Part { all, train, test }

  /** Which dataset. */
  public enum Kind { synth, ctr }

  @Spec
  CommandSpec spec;

  @Option(names = "--kind", paramLabel = "KIND", defaultValue = "synth",
      description = "synth or ctr. Default: ${DEFAULT-VALUE}.")
  Kind kind;

  @Option(names = "--rows", paramLabel = "N", required = true, description = "N, the rows of the "
      + "whole dataset (train and held-out parts).")
  long rows;

  @Option(names = "--part", paramLabel = "PART", defaultValue = "all",
      description = "all, train (the first 80%%) or test (the last 20%%). Default: ${DEFAULT-VALUE}.")
  Part part;

  @Option(names = "--seed", paramLabel = "S",
      description = "Seed of ctr-N (--kind ctr only; synth-N has one fixed stream). Default: "
          + CtrSynthData.DEFAULT_SEED + ".")
  Long seed;

  @Option(names = "--id-fields", paramLabel = "N", defaultValue = "0",
      description = "Adds N id columns D1..DN to ctr-N (--kind ctr only), before the label: "
          + "tokens uniform over 2^32 values, nearly all distinct across rows, with no signal "
          + "(the other columns, the labels and the Bayes log loss stay those of ctr-N); for "
          + "models of tens of millions of keys. 0 to " + CtrSynthData.MAX_ID_FIELDS
          + ". Default: ${DEFAULT-VALUE}.")
  int idFields;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "CSV file to write: a local path or any Hadoop URI (hdfs://, s3a://).")
  String out;

  @Override
  public Integer call() throws IOException {
    if (rows < 1 || rows > Integer.MAX_VALUE) {
      throw new ParameterException(spec.commandLine(), "--rows must be 1 to "
          + Integer.MAX_VALUE + ", got " + rows);
    }
    if (seed != null && kind != Kind.ctr) {
      throw new ParameterException(spec.commandLine(), "--seed applies to --kind ctr only; "
          + "synth-N is one fixed stream (drop --seed, or add --kind ctr)");
    }
    if (idFields != 0 && kind != Kind.ctr) {
      throw new ParameterException(spec.commandLine(), "--id-fields applies to --kind ctr "
          + "only; drop it, or add --kind ctr");
    }
    if (idFields < 0 || idFields > CtrSynthData.MAX_ID_FIELDS) {
      throw new ParameterException(spec.commandLine(), "--id-fields must be 0 to "
          + CtrSynthData.MAX_ID_FIELDS + ", got " + idFields);
    }
    long cut = (long) Math.floor(0.8 * rows);
    long from = part == Part.test ? cut : 0;
    long to = part == Part.train ? cut : rows;
    CtrSynthData ctr = kind == Kind.ctr
        ? new CtrSynthData(seed == null ? CtrSynthData.DEFAULT_SEED : seed, idFields) : null;
    Body body = w -> {
      if (ctr == null) {
        SynthData.writeCsv(from, to, w);
        return null;
      }
      return ctr.writeCsv(from, to, w);
    };
    CtrSynthData.Summary written;
    if (out.contains("://") && !out.startsWith("file:")) {
      written = writeHadoop(body);
    } else {
      Path target = out.startsWith("file:") ? Path.of(URI.create(out)) : Path.of(out);
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        written = body.write(w);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
    PrintWriter o = spec.commandLine().getOut();
    if (ctr == null) {
      o.printf("wrote rows %d..%d of synth-%d to %s%n", from, to - 1, rows, out);
    } else {
      o.printf(Locale.ROOT, "wrote rows %d..%d of ctr-%d (seed %d) to %s: %.2f%% clicks%n",
          from, to - 1, rows, ctr.seed(), out, 100.0 * written.positives() / written.rows());
      // the held-out part's figures, from the rows just written when they are the held-out rows
      CtrSynthData.Summary held = part == Part.test ? written : ctr.score(cut, rows);
      o.printf(Locale.ROOT, "held-out rows %d..%d: Bayes log loss %.5f (the true "
          + "probabilities); %.5f with the interactions cut to their additive part (the best a "
          + "main-effects model can do)%n", cut, rows - 1, held.logLoss(), held.additiveLogLoss());
    }
    o.flush();
    return 0;
  }

  /** Writes the rows of the dataset; returns ctr-N's summary of them, or null for synth-N. */
  @FunctionalInterface
  private interface Body {
    CtrSynthData.Summary write(BufferedWriter w) throws IOException;
  }

  /** Writes to a temporary sibling on the Hadoop file system of {@code out}, then renames. */
  private CtrSynthData.Summary writeHadoop(Body body) throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out);
    FileContext fc = FileContext.getFileContext(target.toUri(), new Configuration());
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(),
        "." + target.getName() + ".tmp-" + UUID.randomUUID());
    CtrSynthData.Summary written;
    try {
      try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(fc.create(tmp,
          EnumSet.of(CreateFlag.CREATE), Options.CreateOpts.createParent()),
          StandardCharsets.UTF_8))) {
        written = body.write(w);
      }
      fc.rename(tmp, target, Options.Rename.OVERWRITE);
      return written;
    } finally {
      fc.delete(tmp, false);
    }
  }
}
