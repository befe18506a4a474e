package io.sparkps.core.data;

/**
 * The fields and the ground truth of the click-through benchmark set ctr-N ({@link
 * CtrSynthData}): what each column holds and the true probability of a click given a row.
 *
 * <p>The truth is a logistic model with pairwise factorized interactions, the model class of a
 * factorization machine (S. Rendle, "Factorization Machines", ICDM 2010):
 * <pre>
 * logit P(y = 1 | row) = BIAS
 *     + sum over numeric columns k:  0.2 beta_k * (log1p(count_k) - mu_k) / sigma_k,
 *                                    or 0.5 gamma_k when the count is missing
 *     + sum over categorical fields j: s_j w_j(value_j)    (a missing value has a weight of its own)
 *     + sum over the pairs (a, b) of {@link #PAIRS}: INTERACTION * &lt;u_a(value_a), u_b(value_b)&gt;
 * </pre>
 * with {@code s_j} of {@link #weightScale}, and where every weight {@code beta_k, gamma_k},
 * {@code w_j(v)} and every component of the
 * {@link #FACTORS}-dimensional factor {@code u_j(v)} is a function of (seed, table, field, value,
 * component) alone: a SplitMix64 hash of those, turned into an approximately standard normal
 * number by the Irwin-Hall sum of its four 16-bit quarters ({@link #gauss}). No table of 10^6
 * weights is ever stored; the truth is a pure function of the row, so its log loss is the Bayes
 * log loss: the least any learner can reach on these rows.
 *
 * <p>Bit for bit on any JDK: integer hashing, sums of dyadic rationals and {@link StrictMath}.
 */
public final class CtrTruth {
  /** Count-valued numeric columns {@code I1..I13}. */
  public static final int NUMERIC = 13;
  /** Categorical columns {@code C1..C26}. */
  public static final int CATEGORICAL = 26;
  /** Dimension of the interaction factors. */
  public static final int FACTORS = 4;
  /** The intercept of the true logit (about 25% clicks). */
  public static final double BIAS = -1.3;
  /** Scale of every interaction term. */
  public static final double INTERACTION = 0.15;

  /** Vocabulary size of {@code C1..C26}: from 4 to 10^6, about 1.64 times apart. */
  static final int[] VOCABULARY = {4, 7, 11, 18, 30, 49, 80, 130, 210, 350, 570, 930, 1500,
      2500, 4000, 6600, 11000, 18000, 29000, 47000, 77000, 130000, 210000, 340000, 560000,
      1_000_000};

  /**
   * The interacting pairs of categorical fields (0-based: {0, 4} is C1 x C5). All have at most
   * 2500 values and no missing values, so 10^5 to 10^6 rows show each pair's frequent values
   * together often enough for a factorization machine to learn them.
   */
  static final int[][] PAIRS = {{0, 4}, {1, 7}, {2, 9}, {3, 12}, {6, 10}, {8, 13}};

  private static final long PHI = 0x9E3779B97F4A7C15L;
  private static final int MAIN = 1;
  private static final int FACTOR = 2;
  private static final int BETA = 3;
  private static final int GAMMA = 4;
  private static final int TOKEN = 5;
  private static final double SQRT3 = 1.7320508075688772;

  private final long key;
  private final double[][][] factorMeans;

  /** The truth of seed {@code seed}. */
  public CtrTruth(long seed) {
    this.key = mix64(seed ^ PHI);
    this.factorMeans = new double[PAIRS.length][2][];
    for (int p = 0; p < PAIRS.length; p++) {
      for (int side = 0; side < 2; side++) {
        factorMeans[p][side] = meanFactor(PAIRS[p][side]);
      }
    }
  }

  /** Vocabulary size of categorical field {@code j} (0-based). */
  public static int vocabulary(int j) {
    return VOCABULARY[j];
  }

  /** Zipf exponent of field {@code j}: 1.05, 1.10, 1.15, 1.20, 1.25, 1.05, ... */
  public static double zipfExponent(int j) {
    return 1.05 + 0.05 * (j % 5);
  }

  /** Share of missing values in field {@code j}: 10, 20, 30, 40% in C6, C12, C18, C24; else 0. */
  public static double categoricalMissingRate(int j) {
    return j % 6 == 5 ? 0.1 * (1 + j / 6) : 0;
  }

  /** Standard deviation of field {@code j}'s per-value weights: 0.35 for C1 down to 0.15. */
  public static double weightScale(int j) {
    return 0.35 - 0.2 * j / 25.0;
  }

  /** {@code mu_k}: the mean of {@code log} of count {@code k} + 1 before flooring, 0.25 k. */
  public static double countMu(int k) {
    return 0.25 * k;
  }

  /** {@code sigma_k}: the spread of {@code log} of count {@code k} + 1, 1 + 0.05 k. */
  public static double countSigma(int k) {
    return 1.0 + 0.05 * k;
  }

  /** Share of missing counts in column {@code k}: 0, 4, 8, ... 44% (I12), then 0 (I13). */
  public static double numericMissingRate(int k) {
    return 0.04 * (k % 12);
  }

  /** The true logit of a row: counts (-1: missing) and value indices (-1: missing). */
  public double logit(long[] counts, int[] values) {
    return main(counts, values) + interaction(values);
  }

  /** The true logit without its interactions: bias, numeric and per-value terms. */
  public double main(long[] counts, int[] values) {
    double z = BIAS;
    for (int k = 0; k < NUMERIC; k++) {
      if (counts[k] < 0) {
        z += 0.5 * gauss(hash(GAMMA, k, 0, 0));
      } else {
        double x = (StrictMath.log1p(counts[k]) - countMu(k)) / countSigma(k);
        z += 0.2 * gauss(hash(BETA, k, 0, 0)) * x;
      }
    }
    for (int j = 0; j < CATEGORICAL; j++) {
      z += weightScale(j) * gauss(hash(MAIN, j, valueKey(j, values[j]), 0));
    }
    return z;
  }

  /** The interaction part of the true logit. */
  public double interaction(int[] values) {
    double z = 0;
    for (int[] pair : PAIRS) {
      int a = pair[0];
      int b = pair[1];
      double dot = 0;
      for (int f = 0; f < FACTORS; f++) {
        dot += factor(a, values[a], f) * factor(b, values[b], f);
      }
      z += INTERACTION * dot;
    }
    return z;
  }

  /**
   * The additive part of the interactions (their ANOVA projection onto single fields under the
   * Zipf distributions): {@code E[f | v_a] + E[f | v_b] - E[f]} per pair. A model of main
   * effects alone can at best see this much of the interactions; the rest is what a
   * factorization machine can find and logistic regression cannot.
   */
  public double additiveInteraction(int[] values) {
    double z = 0;
    for (int p = 0; p < PAIRS.length; p++) {
      int a = PAIRS[p][0];
      int b = PAIRS[p][1];
      double[] ma = factorMeans[p][0];
      double[] mb = factorMeans[p][1];
      double s = 0;
      for (int f = 0; f < FACTORS; f++) {
        s += factor(a, values[a], f) * mb[f] + ma[f] * factor(b, values[b], f) - ma[f] * mb[f];
      }
      z += INTERACTION * s;
    }
    return z;
  }

  /** The 8-hex-digit token of value {@code v} of field {@code j}; distinct values, distinct tokens. */
  public String token(int j, int v) {
    int t = fmix32(v + (int) hash(TOKEN, j, 0, 0));
    String hex = Integer.toHexString(t);
    return "00000000".substring(hex.length()) + hex;
  }

  /** Component {@code f} of the factor of value {@code v} (-1: missing) of field {@code j}. */
  double factor(int j, int v, int f) {
    return gauss(hash(FACTOR, j, valueKey(j, v), f));
  }

  private double[] meanFactor(int j) {
    ZipfSampler z = ZipfSampler.of(VOCABULARY[j], zipfExponent(j));
    double[] weights = new double[z.n()];
    double sum = 0;
    for (int k = z.n(); k >= 1; k--) {
      weights[k - 1] = StrictMath.exp(-z.exponent() * StrictMath.log(k));
      sum += weights[k - 1];
    }
    double[] mean = new double[FACTORS];
    for (int v = 0; v < z.n(); v++) {
      for (int f = 0; f < FACTORS; f++) {
        mean[f] += weights[v] / sum * factor(j, v, f);
      }
    }
    return mean;
  }

  /** A missing value hashes as one value past the vocabulary. */
  private static int valueKey(int j, int v) {
    return v < 0 ? VOCABULARY[j] : v;
  }

  private long hash(int table, int field, int value, int component) {
    long h = mix64(key + PHI * table);
    h = mix64(h + field);
    h = mix64(h + value);
    return mix64(h + component);
  }

  /**
   * An approximately standard normal number from 64 hashed bits: the Irwin-Hall sum of four
   * uniforms (its 16-bit quarters, each {@code (q + 0.5) / 65536}), centred and scaled to
   * variance 1. Exact in double arithmetic, so the same on every JDK; bounded by +-2 sqrt(3).
   */
  static double gauss(long h) {
    double s = 0;
    for (int i = 0; i < 4; i++) {
      s += ((h >>> (16 * i)) & 0xFFFF) + 0.5;
    }
    return (s / 65536.0 - 2.0) * SQRT3;
  }

  /** SplitMix64's finalizer (Steele, Lea and Flood, OOPSLA 2014), as in {@code SplittableRandom}. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** MurmurHash3's 32-bit finalizer: a bijection of {@code int}. */
  private static int fmix32(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
