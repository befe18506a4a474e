package io.sparkps.driver.data;

import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.data.FeatureHashing;
import java.io.Serializable;
import java.util.List;

/**
 * How rows become a model's inputs: dense blocks (every column a feature, standardized as the
 * request says), sparse blocks of the rows as they are (LibSVM and vector columns keep their
 * indices; never standardized), sparse blocks of hashed delimited rows ({@link FeatureHashing}),
 * or {@link Auto}: sparse for LibSVM files and sparse vector columns, dense otherwise. Sparse
 * models read sparse blocks; dense models read dense ones.
 */
public sealed interface RowEncoding extends Serializable {

  /** Dense rows: one float per column. */
  record Dense() implements RowEncoding {
  }

  /** Sparse rows with their own indices (LibSVM, Spark ML vectors). */
  record Sparse() implements RowEncoding {
  }

  /** Sparse for LibSVM files and vector columns of sparse vectors, dense otherwise. */
  record Auto() implements RowEncoding {
  }

  /**
   * Delimited rows hashed into sparse rows with fields. With {@code columns} empty the feature
   * columns are the file's (training); otherwise the file's must be these (scoring a model).
   */
  record Hashed(List<String> columns, List<String> categorical, int hashBits, int seed,
      FeatureHashing.NumericTransform numeric) implements RowEncoding {

    public Hashed {
      columns = List.copyOf(columns);
      categorical = List.copyOf(categorical);
    }

    /** The encoding of a trained model's hashing. */
    public static Hashed of(FeatureHashing h) {
      return new Hashed(h.columns(), h.categorical(), h.hashBits(), h.seed(), h.numeric());
    }

    /** The hashing for a file whose feature columns are {@code fileColumns}. */
    public FeatureHashing resolve(String source, List<String> fileColumns) {
      if (!columns.isEmpty() && !columns.equals(fileColumns)) {
        throw new DataFormatException(source, 0, "the feature columns " + fileColumns
            + " differ from the model's " + columns + "; score data with the columns the model "
            + "was trained on");
      }
      try {
        return new FeatureHashing(fileColumns, categorical, hashBits, seed, numeric);
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(source, 0, e.getMessage());
      }
    }
  }

  static RowEncoding dense() {
    return new Dense();
  }

  static RowEncoding sparse() {
    return new Sparse();
  }

  static RowEncoding auto() {
    return new Auto();
  }

  /**
   * How rows must be read to score or continue training {@code model}: hashed as it was trained,
   * dense for dense models, sparse for sparse ones.
   */
  static RowEncoding forModel(io.sparkps.core.io.ModelHeader model) {
    if (model.featureHashing().isPresent()) {
      return Hashed.of(model.featureHashing().get());
    }
    return model.spec() instanceof io.sparkps.core.model.DenseSpec ? dense() : sparse();
  }

  /** Whether the blocks are sparse, once {@link Auto} has been decided. */
  default boolean isSparse() {
    return this instanceof Sparse || this instanceof Hashed;
  }
}
