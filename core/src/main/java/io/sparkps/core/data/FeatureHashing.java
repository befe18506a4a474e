package io.sparkps.core.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Locale;

/**
 * How the columns of a delimited row become sparse features (the hashing trick; Weinberger et
 * al., ICML 2009), stored with the model so that scoring turns raw rows into exactly the features
 * training saw.
 *
 * <ul>
 *   <li>A categorical column {@code c} holding {@code v} becomes the token {@code c=v}: index
 *   {@code murmur3_32(utf8("c=v"), seed) mod 2^hashBits}, value 1.</li>
 *   <li>A numeric column {@code c} holding {@code x} becomes index
 *   {@code murmur3_32(utf8("c"), seed) mod 2^hashBits} with value {@code t(x)}, where {@code t}
 *   is {@link NumericTransform}: {@code sign(x) ln(1 + |x|)} by default, since count features
 *   are heavy-tailed and a hashed sparse row is not standardized.</li>
 *   <li>An empty field is a missing value. Categorical or numeric, it becomes the token
 *   {@code c=} (value 1): a categorical column's own missing category, and for a numeric column
 *   a missing indicator beside a value of 0. The indicator keeps "missing" apart from a real 0,
 *   and lets the model learn what missingness says (in click logs it often says a lot).</li>
 * </ul>
 * With {@code seed} 42 and {@link NumericTransform#NONE} these are the indices and values of
 * Spark ML's {@code FeatureHasher} with {@code numFeatures = 2^hashBits} (its murmur3 seed is
 * 42, and a power-of-two modulus is a mask). Each entry remembers its column as its field (the
 * column's position in {@link #columns}), which wide and deep models embed per field.
 *
 * @param columns the feature columns in file order (the label excluded)
 * @param categorical the columns hashed as categories; every other column is numeric
 * @param hashBits B: features land in {@code 2^B} buckets, 1 to {@value #MAX_HASH_BITS}
 * @param seed the murmur3 seed
 * @param numeric how numeric values enter
 */
public record FeatureHashing(List<String> columns, List<String> categorical, int hashBits,
    int seed, NumericTransform numeric) implements java.io.Serializable {

  /** The most hash bits: 2^30 buckets. */
  public static final int MAX_HASH_BITS = 30;
  /** The default hash bits: 2^20 buckets. */
  public static final int DEFAULT_HASH_BITS = 20;
  /** The default murmur3 seed, Spark ML's. */
  public static final int DEFAULT_SEED = 42;

  /** How a numeric column's value enters the sparse row. */
  public enum NumericTransform {
    /** {@code sign(x) ln(1 + |x|)}. */
    LOG1P,
    /** The value as it is. */
    NONE;

    /** Parses {@code log1p} or {@code none}. */
    public static NumericTransform parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--numeric-transform must be log1p or none, got '" + s
            + "'");
      }
    }

    float apply(float x) {
      return this == NONE ? x : (float) (Math.signum(x) * Math.log1p(Math.abs(x)));
    }
  }

  public FeatureHashing {
    columns = List.copyOf(columns);
    categorical = List.copyOf(categorical);
    if (hashBits < 1 || hashBits > MAX_HASH_BITS) {
      throw new IllegalArgumentException("--hash-bits must be 1 to " + MAX_HASH_BITS + ", got "
          + hashBits);
    }
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("feature hashing needs at least one feature column");
    }
    if (columns.size() > Short.MAX_VALUE) {
      throw new IllegalArgumentException(columns.size() + " feature columns are more than "
          + Short.MAX_VALUE + ", the most fields a row can name");
    }
    for (String c : categorical) {
      if (!columns.contains(c)) {
        throw new IllegalArgumentException("--categorical names column '" + c + "', which is not "
            + "a feature column; the feature columns are " + columns);
      }
    }
  }

  /** The number of buckets, {@code 2^hashBits}. */
  @JsonIgnore
  public int buckets() {
    return 1 << hashBits;
  }

  /** The number of fields: one per feature column. */
  @JsonIgnore
  public int fields() {
    return columns.size();
  }

  /** The bucket of a token. */
  public int bucket(String token) {
    return MurmurHash3.hash32(token, seed) & (buckets() - 1);
  }

  /** A compiled form for parsing many rows: the buckets of the names, the categorical flags. */
  public Compiled compile() {
    int n = columns.size();
    boolean[] cat = new boolean[n];
    int[] numericBucket = new int[n];
    int[] missingBucket = new int[n];
    for (int f = 0; f < n; f++) {
      String c = columns.get(f);
      cat[f] = categorical.contains(c);
      numericBucket[f] = bucket(c);
      missingBucket[f] = bucket(c + "=");
    }
    return new Compiled(this, cat, numericBucket, missingBucket);
  }

  /** Per-column lookups made once; {@link #add} turns one field of a row into an entry. */
  public record Compiled(FeatureHashing spec, boolean[] categorical, int[] numericBucket,
      int[] missingBucket) {

    public boolean isCategorical(int field) {
      return categorical[field];
    }

    /**
     * Adds field {@code field} holding {@code cell} (trimmed, unquoted) to {@code row}; a numeric
     * cell that is not a number throws {@link NumberFormatException}.
     */
    public void add(int field, String cell, SparseRow row) {
      if (cell.isEmpty()) {
        row.add(missingBucket[field], 1f, field);
      } else if (categorical[field]) {
        row.add(spec.bucket(spec.columns.get(field) + "=" + cell), 1f, field);
      } else {
        float x = Float.parseFloat(cell);
        if (!Float.isFinite(x)) {
          throw new NumberFormatException("not a finite number");
        }
        if (x != 0f) { // a zero adds nothing to any model: leave it out, as a sparse vector does
          row.add(numericBucket[field], spec.numeric.apply(x), field);
        }
      }
    }
  }
}
