package io.sparkps.bench.compare;

import io.sparkps.core.data.Dataset;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.LocalDataReader;
import io.sparkps.core.data.SynthData;
import io.sparkps.core.model.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * The comparison's datasets, prepared once into block files that every trainer's JVM reads:
 * {@code synth-N} of {@code SYNTH.md} (first 80% train, last 20% held out) and the LIBSVM sets
 * a9a (123 features) and ijcnn1 (22 features) with their own test files. Features are used as
 * they come (synth is already standard normal; a9a is 0/1; ijcnn1 lies in [-1, 1]).
 */
public final class BenchData {

  /** Where a prepared dataset lives: {@code train-P.bin} and {@code test-P.bin} per part. */
  public record Prepared(String name, Path dir, int parts, int features, long trainRows,
      long testRows) {

    public Path trainPart(int p) {
      return dir.resolve("train-" + p + ".bin");
    }

    public Path testPart(int p) {
      return dir.resolve("test-" + p + ".bin");
    }

    /** All held-out rows as one block, in order. */
    public ExampleBlock test() {
      ExampleBlock[] b = new ExampleBlock[parts];
      for (int p = 0; p < parts; p++) {
        b[p] = BlockFile.read(testPart(p));
      }
      return concat(b);
    }
  }

  private BenchData() {
  }

  /** The names {@link #prepare} knows. */
  public static final List<String> KNOWN = List.of("synth-N (e.g. synth-1000000)", "a9a", "ijcnn1");

  /**
   * Writes {@code name} into {@code cache/name/} split into {@code parts} contiguous parts
   * (unless already there), reading real data from {@code datasets} (the folder holding
   * {@code a9a/} and {@code ijcnn1/}).
   */
  public static Prepared prepare(String name, Path datasets, Path cache, int parts) {
    Path dir = cache.resolve(name + "-p" + parts);
    Path done = dir.resolve("READY");
    try {
      if (Files.exists(done)) {
        return describe(name, dir, parts, Files.readString(done).trim());
      }
      Files.createDirectories(dir);
      ExampleBlock train;
      ExampleBlock test;
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("synth-")) {
        int n = parseRows(name);
        ExampleBlock all = SynthData.block(n);
        int cut = SynthData.trainRows(n);
        train = range(all, 0, cut);
        test = range(all, cut, n);
      } else if (lower.equals("a9a")) {
        train = libsvm(datasets.resolve("a9a/a9a"), 123, dir);
        test = libsvm(datasets.resolve("a9a/a9a.t"), 123, dir);
      } else if (lower.equals("ijcnn1")) {
        train = libsvm(datasets.resolve("ijcnn1/ijcnn1.trn.bz2"), 22, dir);
        test = libsvm(datasets.resolve("ijcnn1/ijcnn1.tst.bz2"), 22, dir);
      } else {
        throw new IllegalArgumentException("unknown dataset '" + name + "'; use one of "
            + KNOWN);
      }
      for (int p = 0; p < parts; p++) {
        BlockFile.write(part(train, p, parts), dir.resolve("train-" + p + ".bin"));
        BlockFile.write(part(test, p, parts), dir.resolve("test-" + p + ".bin"));
      }
      String meta = train.cols() + " " + train.rows() + " " + test.rows();
      AtomicFiles.write(done, tmp -> Files.writeString(tmp, meta + "\n"));
      return describe(name, dir, parts, meta);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + name + " in " + dir, e);
    }
  }

  /** A dataset {@link #prepare} wrote into {@code dir}. */
  public static Prepared open(String name, Path dir, int parts) {
    try {
      return describe(name, dir, parts, Files.readString(dir.resolve("READY")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(dir + " holds no prepared dataset (no READY file)", e);
    }
  }

  private static Prepared describe(String name, Path dir, int parts, String meta) {
    String[] f = meta.split(" ");
    return new Prepared(name, dir, parts, Integer.parseInt(f[0]), Long.parseLong(f[1]),
        Long.parseLong(f[2]));
  }

  static int parseRows(String name) {
    String n = name.substring("synth-".length()).replace("_", "");
    try {
      int rows = Integer.parseInt(n);
      if (rows < 10) {
        throw new NumberFormatException();
      }
      return rows;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("dataset '" + name + "': synth-N needs a row count N of "
          + "at least 10, as in synth-1000000");
    }
  }

  private static ExampleBlock libsvm(Path file, int features, Path work) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("dataset file " + file + " does not exist; pass "
          + "--datasets with the folder that holds a9a/ and ijcnn1/ (the team's shared/datasets)");
    }
    Path plain = file;
    if (file.toString().endsWith(".bz2")) {
      String base = file.getFileName().toString();
      plain = work.resolve(base.substring(0, base.length() - 4) + ".txt");
      AtomicFiles.write(plain, tmp -> {
        try (InputStream in = new BZip2CompressorInputStream(Files.newInputStream(file))) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
      });
    }
    // labels are -1/+1 (or -1.0/1.0): the encoder maps -1 to class 0 and +1 to class 1
    Dataset d = LocalDataReader.readLibSvm(plain, Task.BINARY, features);
    return d.block();
  }

  /** Rows {@code [from, to)} of {@code b}. */
  public static ExampleBlock range(ExampleBlock b, int from, int to) {
    int c = b.cols();
    float[] f = java.util.Arrays.copyOfRange(b.features(), from * c, to * c);
    float[] y = java.util.Arrays.copyOfRange(b.labels(), from, to);
    return new ExampleBlock(to - from, c, f, y);
  }

  /** The {@code p}-th of {@code parts} contiguous, near-equal parts. */
  static ExampleBlock part(ExampleBlock b, int p, int parts) {
    long n = b.rows();
    return range(b, (int) (n * p / parts), (int) (n * (p + 1) / parts));
  }

  static ExampleBlock concat(ExampleBlock... blocks) {
    int rows = 0;
    for (ExampleBlock b : blocks) {
      rows += b.rows();
    }
    int c = blocks[0].cols();
    float[] f = new float[rows * c];
    float[] y = new float[rows];
    int at = 0;
    for (ExampleBlock b : blocks) {
      System.arraycopy(b.features(), 0, f, at * c, b.rows() * c);
      System.arraycopy(b.labels(), 0, y, at, b.rows());
      at += b.rows();
    }
    return new ExampleBlock(rows, c, f, y);
  }
}
