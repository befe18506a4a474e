package io.sparkps.driver.data;

import io.sparkps.core.data.FeatureHashing;
import java.io.Serializable;

/**
 * How rows become a model's inputs: dense blocks (every column a feature, standardized as the
 * request says), sparse blocks of the rows as they are (LibSVM and vector columns keep their
 * indices), or sparse blocks of hashed delimited rows ({@link FeatureHashing}). Sparse models
 * read sparse blocks; dense models read dense ones.
 */
public sealed interface RowEncoding extends Serializable {

  /** Dense rows: today's blocks, one float per column. */
  record Dense() implements RowEncoding {
  }

  /** Sparse rows with their own indices (LibSVM, Spark ML vectors); never standardized. */
  record Sparse() implements RowEncoding {
  }

  /** Delimited rows hashed by {@code hashing} into sparse rows with fields. */
  record Hashed(FeatureHashing hashing) implements RowEncoding {
  }

  static RowEncoding dense() {
    return new Dense();
  }

  static RowEncoding sparse() {
    return new Sparse();
  }

  /** Whether the blocks are sparse. */
  default boolean isSparse() {
    return !(this instanceof Dense);
  }
}
