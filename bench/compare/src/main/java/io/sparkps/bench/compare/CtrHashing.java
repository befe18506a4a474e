package io.sparkps.bench.compare;

import io.sparkps.core.data.CtrSynthData;
import io.sparkps.core.data.CtrTruth;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Hashes a ctr-N row into {@code 2^bits} columns exactly as Spark MLlib's {@code FeatureHasher}
 * does to the DataFrame of {@link #SQL} (seed 42, MurmurHash3 x86 32-bit of the UTF-8 bytes,
 * {@code hashUnsafeBytes2}, non-negative remainder by the bucket count; colliding entries are
 * summed), so that MLlib and SparkPS train on the same hashed rows, hashed once:
 * <ul>
 *   <li>count column {@code Ik}: value {@code log1p(count)} at the bucket of the string
 *       {@code "Ik"} (FeatureHasher's numeric columns); a missing count instead sets 1 at the
 *       bucket of {@code "Ik_na="} (a string column {@code Ik_na} that holds {@code ""} where
 *       the count is missing and null elsewhere: a missing-value indicator);</li>
 *   <li>categorical column {@code Cj}: 1 at the bucket of {@code "Cj=<token>"}; a missing value
 *       is the empty token, {@code "Cj="}, a value of its own.</li>
 * </ul>
 * The fields of the non-zeros are 0..12 for {@code I1..I13} (value and indicator alike) and
 * 13..38 for {@code C1..C26}. The comparison checks once per run, in MLlib's JVM, that
 * {@code FeatureHasher} itself gives these rows ({@link FeatureHasherCheck}).
 */
public final class CtrHashing {
  /** FeatureHasher's (and HashingTF's) MurmurHash3 seed. */
  public static final int SEED = 42;

  /**
   * The SQL that turns the raw CSV's columns into FeatureHasher's input columns, one select
   * expression per column.
   */
  public static final String[] SQL = sql();

  private final int buckets;
  private final int[] numeric = new int[CtrTruth.NUMERIC];
  private final int[] numericMissing = new int[CtrTruth.NUMERIC];
  private final int[] categoricalMissing = new int[CtrTruth.CATEGORICAL];

  public CtrHashing(int bits) {
    if (bits < 1 || bits > 30) {
      throw new IllegalArgumentException("hash bits must be 1 to 30, got " + bits);
    }
    this.buckets = 1 << bits;
    for (int k = 0; k < CtrTruth.NUMERIC; k++) {
      numeric[k] = bucket("I" + (k + 1));
      numericMissing[k] = bucket("I" + (k + 1) + "_na=");
    }
    for (int j = 0; j < CtrTruth.CATEGORICAL; j++) {
      categoricalMissing[j] = bucket("C" + (j + 1) + "=");
    }
  }

  /** Columns: {@code 2^bits}. */
  public int buckets() {
    return buckets;
  }

  /** The bucket of {@code term}: FeatureHasher's {@code murmur3Hash} modulo the buckets. */
  public int bucket(String term) {
    UTF8String u = UTF8String.fromString(term);
    int h = Murmur3_x86_32.hashUnsafeBytes2(u.getBaseObject(), u.getBaseOffset(), u.numBytes(),
        SEED);
    int r = h % buckets;
    return r < 0 ? r + buckets : r;
  }

  /** Appends row {@code r} of {@code gen} to {@code out}, with its label. */
  public void add(CtrSynthData gen, CtrSynthData.Row r, SparseRows.Builder out) {
    for (int k = 0; k < CtrTruth.NUMERIC; k++) {
      long c = r.counts()[k];
      if (c < 0) {
        out.put(numericMissing[k], 1.0, k);
      } else {
        out.put(numeric[k], Math.log1p(c), k);
      }
    }
    for (int j = 0; j < CtrTruth.CATEGORICAL; j++) {
      int v = r.values()[j];
      int b = v < 0 ? categoricalMissing[j]
          : bucket("C" + (j + 1) + "=" + gen.truth().token(j, v));
      out.put(b, 1.0, CtrTruth.NUMERIC + j);
    }
    out.endRow(r.label());
  }

  /** FeatureHasher's input columns, in order. */
  public static String[] inputColumns() {
    String[] cols = new String[2 * CtrTruth.NUMERIC + CtrTruth.CATEGORICAL];
    for (int k = 0; k < CtrTruth.NUMERIC; k++) {
      cols[k] = "I" + (k + 1);
      cols[CtrTruth.NUMERIC + k] = "I" + (k + 1) + "_na";
    }
    for (int j = 0; j < CtrTruth.CATEGORICAL; j++) {
      cols[2 * CtrTruth.NUMERIC + j] = "C" + (j + 1);
    }
    return cols;
  }

  private static String[] sql() {
    String[] s = new String[2 * CtrTruth.NUMERIC + CtrTruth.CATEGORICAL + 1];
    for (int k = 1; k <= CtrTruth.NUMERIC; k++) {
      s[k - 1] = "log1p(I" + k + ") AS I" + k;
      s[CtrTruth.NUMERIC + k - 1] = "CASE WHEN I" + k + " IS NULL THEN '' END AS I" + k + "_na";
    }
    for (int j = 1; j <= CtrTruth.CATEGORICAL; j++) {
      s[2 * CtrTruth.NUMERIC + j - 1] = "coalesce(C" + j + ", '') AS C" + j;
    }
    s[s.length - 1] = "CAST(label AS DOUBLE) AS label";
    return s;
  }
}
