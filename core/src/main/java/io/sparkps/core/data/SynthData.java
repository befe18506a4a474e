package io.sparkps.core.data;

import java.io.IOException;
import java.io.Writer;
import java.util.SplittableRandom;

/**
 * The seeded benchmark dataset synth-N of the team's {@code SYNTH.md}: 28 Gaussian features, a
 * nonlinear boundary and 5% label noise, reproducible bit for bit on any JDK. Rows are a prefix
 * stream: synth-200000 is the first 200000 rows of any larger N; the first 80% of rows train,
 * the rest are held out.
 */
public final class SynthData {
  /** Features per row. */
  public static final int FEATURES = 28;

  private static final double[] WEIGHTS = new double[FEATURES];

  static {
    for (int j = 0; j < FEATURES; j++) {
      WEIGHTS[j] = ((j * 7919) % 13 - 6) / 6.0;
    }
  }

  private final SplittableRandom rng = new SplittableRandom(42);
  private final double[] x = new double[FEATURES];

  /** Generates the next row: its features into {@code out} (as doubles), returns its label. */
  public int next(double[] out) {
    for (int j = 0; j < FEATURES; j += 2) {
      double u1 = rng.nextDouble();
      double u2 = rng.nextDouble();
      double r = StrictMath.sqrt(-2 * StrictMath.log(1 - u1));
      double t = 2 * StrictMath.PI * u2;
      x[j] = r * StrictMath.cos(t);
      x[j + 1] = r * StrictMath.sin(t);
    }
    double u = rng.nextDouble();
    double s = 0;
    for (int j = 0; j < FEATURES; j++) {
      s += WEIGHTS[j] * x[j];
    }
    s += 0.5 * x[0] * x[1] - 0.7 * x[2] * x[2] + 0.3 * StrictMath.sin(3 * x[3]);
    int label = s > 0 ? 1 : 0;
    if (u < 0.05) {
      label = 1 - label;
    }
    System.arraycopy(x, 0, out, 0, FEATURES);
    return label;
  }

  /** Rows {@code [0, n)} as one block (features rounded to float). */
  public static ExampleBlock block(int n) {
    SynthData g = new SynthData();
    double[] row = new double[FEATURES];
    float[] f = new float[n * FEATURES];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = g.next(row);
      for (int j = 0; j < FEATURES; j++) {
        f[i * FEATURES + j] = (float) row[j];
      }
    }
    return new ExampleBlock(n, FEATURES, f, y);
  }

  /** Index of the first held-out row of synth-N: {@code floor(0.8 N)}. */
  public static int trainRows(int n) {
    return (int) Math.floor(0.8 * n);
  }

  /**
   * Writes synth-N as the CSV of {@code SYNTH.md}: header {@code f0,...,f27,label}; six decimals
   * per feature from {@code Math.round(x * 1e6)}; {@code \n} line ends.
   */
  public static void writeCsv(long n, Writer out) throws IOException {
    writeCsv(0, n, out);
  }

  /** Writes rows {@code [from, to)} of the stream, with the header, as {@link #writeCsv(long, Writer)}. */
  public static void writeCsv(long from, long to, Writer out) throws IOException {
    SynthData g = new SynthData();
    double[] row = new double[FEATURES];
    StringBuilder b = new StringBuilder(512);
    for (int j = 0; j < FEATURES; j++) {
      b.append('f').append(j).append(',');
    }
    out.write(b.append("label\n").toString());
    for (long i = 0; i < from; i++) {
      g.next(row);
    }
    for (long i = from; i < to; i++) {
      int label = g.next(row);
      b.setLength(0);
      for (int j = 0; j < FEATURES; j++) {
        appendFixed6(b, Math.round(row[j] * 1e6));
        b.append(',');
      }
      out.write(b.append(label).append('\n').toString());
    }
  }

  static void appendFixed6(StringBuilder b, long v) {
    if (v < 0) {
      b.append('-');
    }
    long a = Math.abs(v);
    b.append(a / 1_000_000).append('.');
    String frac = Long.toString(a % 1_000_000);
    for (int k = frac.length(); k < 6; k++) {
      b.append('0');
    }
    b.append(frac);
  }
}
