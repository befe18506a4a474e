package io.sparkps.core.data;

import java.io.IOException;
import java.io.Writer;
import java.util.SplittableRandom;

/**
 * The seeded click-through benchmark set ctr-N, shaped like the Criteo display-advertising logs:
 * 13 count-valued numeric columns {@code I1..I13} and 26 categorical columns {@code C1..C26} of
 * 8-hex-digit tokens, with missing values (empty fields), and a binary {@code label} drawn from a
 * known true probability ({@link CtrTruth}). Row {@code i} is a pure function of (seed, i): each
 * row has its own {@link SplittableRandom} seeded from both, so any range of rows can be written
 * without generating the rows before it, and ctr-200000 is the first 200000 rows of ctr-1000000.
 * The first {@code floor(0.8 N)} rows train, the rest are held out, as for synth-N.
 *
 * <p>Per row, in this order: for each numeric column one uniform decides whether the count is
 * missing, two more make a standard normal {@code z} (Box-Muller, cosine branch), and the count
 * is {@code max(0, floor(exp(mu_k + sigma_k z)) - 1)}; for each categorical field one uniform
 * decides whether the value is missing, and a Zipf rank over the field's vocabulary is drawn
 * ({@link ZipfSampler}, always, missing or not), value index = rank - 1; last, one uniform
 * {@code u} gives the label {@code u < P(y = 1 | row)}. Deterministic bit for bit on any JDK.
 */
public final class CtrSynthData {

  /** The default seed of ctr-N. */
  public static final long DEFAULT_SEED = 42;

  /**
   * One generated row.
   *
   * @param index the row's index in the stream
   * @param counts the numeric columns' counts, -1 where missing
   * @param values the categorical fields' value indices, -1 where missing
   * @param probability the true P(y = 1 | row)
   * @param label the drawn label, 0 or 1
   */
  public record Row(long index, long[] counts, int[] values, double probability, int label) {
  }

  /**
   * What a range of rows scores under the truth.
   *
   * @param rows rows in the range
   * @param positives rows labelled 1
   * @param logLoss mean log loss of the true probabilities (the Bayes log loss of the range)
   * @param additiveLogLoss mean log loss of the truth with its interactions replaced by their
   *     additive part ({@link CtrTruth#additiveInteraction}): about the best a main-effects model
   *     could do
   */
  public record Summary(long rows, long positives, double logLoss, double additiveLogLoss) {
  }

  private static final long PHI = 0x9E3779B97F4A7C15L;

  private final long seed;
  private final long rowKey;
  private final CtrTruth truth;
  private final ZipfSampler[] zipf = new ZipfSampler[CtrTruth.CATEGORICAL];

  /** The ctr-N stream of {@code seed}. */
  public CtrSynthData(long seed) {
    this.seed = seed;
    this.rowKey = CtrTruth.mix64(seed + PHI);
    this.truth = new CtrTruth(seed);
    for (int j = 0; j < CtrTruth.CATEGORICAL; j++) {
      zipf[j] = ZipfSampler.of(CtrTruth.vocabulary(j), CtrTruth.zipfExponent(j));
    }
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The ground truth of this stream. */
  public CtrTruth truth() {
    return truth;
  }

  /** Index of the first held-out row of ctr-N: {@code floor(0.8 N)}. */
  public static long trainRows(long n) {
    return (long) Math.floor(0.8 * n);
  }

  /** Row {@code i} of the stream. */
  public Row row(long i) {
    SplittableRandom rng = new SplittableRandom(CtrTruth.mix64(rowKey + PHI * i));
    long[] counts = new long[CtrTruth.NUMERIC];
    for (int k = 0; k < CtrTruth.NUMERIC; k++) {
      boolean missing = rng.nextDouble() < CtrTruth.numericMissingRate(k);
      double u1 = rng.nextDouble();
      double u2 = rng.nextDouble();
      double z = StrictMath.sqrt(-2 * StrictMath.log(1 - u1)) * StrictMath.cos(2 * StrictMath.PI
          * u2);
      double e = StrictMath.exp(CtrTruth.countMu(k) + CtrTruth.countSigma(k) * z);
      counts[k] = missing ? -1 : Math.max(0, (long) StrictMath.floor(e) - 1);
    }
    int[] values = new int[CtrTruth.CATEGORICAL];
    for (int j = 0; j < CtrTruth.CATEGORICAL; j++) {
      boolean missing = rng.nextDouble() < CtrTruth.categoricalMissingRate(j);
      int rank = zipf[j].sample(rng);
      values[j] = missing ? -1 : rank - 1;
    }
    double p = sigmoid(truth.logit(counts, values));
    int label = rng.nextDouble() < p ? 1 : 0;
    return new Row(i, counts, values, p, label);
  }

  /** The CSV header: {@code I1,...,I13,C1,...,C26,label}. */
  public static String header() {
    StringBuilder b = new StringBuilder();
    for (int k = 1; k <= CtrTruth.NUMERIC; k++) {
      b.append('I').append(k).append(',');
    }
    for (int j = 1; j <= CtrTruth.CATEGORICAL; j++) {
      b.append('C').append(j).append(',');
    }
    return b.append("label").toString();
  }

  /** A row as a CSV line without its line end: counts, tokens, label; missing values empty. */
  public String csvLine(Row r) {
    StringBuilder b = new StringBuilder(320);
    for (long c : r.counts()) {
      if (c >= 0) {
        b.append(c);
      }
      b.append(',');
    }
    for (int j = 0; j < CtrTruth.CATEGORICAL; j++) {
      int v = r.values()[j];
      if (v >= 0) {
        b.append(truth.token(j, v));
      }
      b.append(',');
    }
    return b.append(r.label()).toString();
  }

  /**
   * Writes the header and rows {@code [from, to)} as CSV ({@code \n} line ends); returns how the
   * truth scores on them.
   */
  public Summary writeCsv(long from, long to, Writer out) throws IOException {
    out.write(header());
    out.write('\n');
    Tally t = new Tally();
    for (long i = from; i < to; i++) {
      Row r = row(i);
      t.add(r);
      out.write(csvLine(r));
      out.write('\n');
    }
    return t.summary();
  }

  /** How the truth scores on rows {@code [from, to)}, generated but not written. */
  public Summary score(long from, long to) {
    Tally t = new Tally();
    for (long i = from; i < to; i++) {
      t.add(row(i));
    }
    return t.summary();
  }

  private final class Tally {
    private long rows;
    private long positives;
    private double loss;
    private double additiveLoss;

    void add(Row r) {
      rows++;
      positives += r.label();
      loss += logLoss(r.label(), r.probability());
      double z = truth.main(r.counts(), r.values()) + truth.additiveInteraction(r.values());
      additiveLoss += logLoss(r.label(), sigmoid(z));
    }

    Summary summary() {
      return new Summary(rows, positives, rows == 0 ? Double.NaN : loss / rows,
          rows == 0 ? Double.NaN : additiveLoss / rows);
    }
  }

  static double sigmoid(double z) {
    return 1 / (1 + StrictMath.exp(-z));
  }

  private static double logLoss(int y, double p) {
    double q = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
    return -(y == 1 ? StrictMath.log(q) : StrictMath.log(1 - q));
  }
}
