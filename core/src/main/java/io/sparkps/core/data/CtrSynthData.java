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

  /** The most id columns {@code D1..Dn} a stream may have. */
  public static final int MAX_ID_FIELDS = 64;

  private final long seed;
  private final long rowKey;
  private final long idKey;
  private final int idFields;
  private final CtrTruth truth;
  private final ZipfSampler[] zipf = new ZipfSampler[CtrTruth.CATEGORICAL];

  /** The ctr-N stream of {@code seed}, without id columns. */
  public CtrSynthData(long seed) {
    this(seed, 0);
  }

  /**
   * The ctr-N stream of {@code seed} with {@code idFields} id columns {@code D1..Dn} after
   * {@code C26}: high-cardinality tokens (each uniform over 2^32 values, so nearly every row
   * brings new ones, as user or cookie ids do) that carry no signal. They come from a random
   * stream of their own per row, so every other column, the label and the truth are those of
   * the stream without them.
   */
  public CtrSynthData(long seed, int idFields) {
    if (idFields < 0 || idFields > MAX_ID_FIELDS) {
      throw new IllegalArgumentException("ctr-N has 0 to " + MAX_ID_FIELDS + " id columns, got "
          + idFields + "; choose a count in that range.");
    }
    this.seed = seed;
    this.idFields = idFields;
    this.rowKey = CtrTruth.mix64(seed + PHI);
    this.idKey = CtrTruth.mix64(seed + 2 * PHI);
    this.truth = new CtrTruth(seed);
    for (int j = 0; j < CtrTruth.CATEGORICAL; j++) {
      zipf[j] = ZipfSampler.of(CtrTruth.vocabulary(j), CtrTruth.zipfExponent(j));
    }
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The id columns {@code D1..Dn} of each row. */
  public int idFields() {
    return idFields;
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

  /** The CSV header of this stream: {@code I1,...,I13,C1,...,C26,D1,...,Dn,label}. */
  public String csvHeader() {
    String h = header();
    StringBuilder b = new StringBuilder(h.substring(0, h.length() - "label".length()));
    for (int m = 1; m <= idFields; m++) {
      b.append('D').append(m).append(',');
    }
    return b.append("label").toString();
  }

  /**
   * The value indices of row {@code i}'s id columns: from the row's own second stream, a
   * {@link SplittableRandom} seeded with {@code mix64(idKey + PHI i)}, one {@code nextInt()} per
   * column in order; {@code idKey = mix64(seed + 2 PHI)}.
   */
  public int[] ids(long i) {
    int[] v = new int[idFields];
    if (idFields > 0) {
      SplittableRandom rng = new SplittableRandom(CtrTruth.mix64(idKey + PHI * i));
      for (int m = 0; m < idFields; m++) {
        v[m] = rng.nextInt();
      }
    }
    return v;
  }

  /**
   * The token of value {@code v} of id column {@code D(m+1)}: the token function of the
   * categorical fields, as field {@code 26 + m}.
   */
  public String idToken(int m, int v) {
    return truth.token(CtrTruth.CATEGORICAL + m, v);
  }

  /** The CSV header without id columns: {@code I1,...,I13,C1,...,C26,label}. */
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

  /**
   * A row as a CSV line without its line end: counts, tokens, id tokens, label; missing values
   * empty.
   */
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
    if (idFields > 0) {
      int[] ids = ids(r.index());
      for (int m = 0; m < idFields; m++) {
        b.append(idToken(m, ids[m])).append(',');
      }
    }
    return b.append(r.label()).toString();
  }

  /**
   * Writes the header and rows {@code [from, to)} as CSV ({@code \n} line ends); returns how the
   * truth scores on them.
   */
  public Summary writeCsv(long from, long to, Writer out) throws IOException {
    out.write(csvHeader());
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
