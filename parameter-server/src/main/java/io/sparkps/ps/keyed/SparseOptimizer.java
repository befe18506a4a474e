package io.sparkps.ps.keyed;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A per-key update rule of a keyed table. Each key holds a record of {@link #recordFloats}
 * floats (its weights and its optimizer state, laid out by the rule) and an update reads and
 * writes that key's record alone, so the result for a key depends only on the key's initial row
 * and on the gradients pushed to it, in the order of the rounds: not on the other keys, on the
 * order of keys in a request, nor on the shard that holds the key.
 *
 * <p>Regularization is lazy, as in sparse SGD with lazy updates (Langford, Li and Zhang,
 * "Sparse Online Learning via Truncated Gradient", JMLR 2009): a key's L2 (and FTRL's L1) acts
 * only in the rounds that push to the key, never as a sweep over the table. The learning rate is
 * constant; the adaptive rules scale it per coordinate.
 *
 * <p>A rule travels to the servers as JSON with its type name ({@code {"type":"ftrl","alpha":
 * 0.1,"beta":1.0,"l1":1.0,"l2":0.0}}), as the dense {@link io.sparkps.core.optim.Optimizer}
 * does; see {@link SparseRuleJson}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SparseAdaGrad.class, name = "adagrad"),
    @JsonSubTypes.Type(value = LazyAdam.class, name = "lazy-adam"),
    @JsonSubTypes.Type(value = Ftrl.class, name = "ftrl")
})
public sealed interface SparseOptimizer permits SparseAdaGrad, LazyAdam, Ftrl {

  /** Floats of a key's record for rows of {@code width} floats. */
  int recordFloats(int width);

  /**
   * Writes the record of a new key whose initial weights are {@code weights[wOff, wOff + width)}
   * into {@code record[off, off + recordFloats(width))}.
   */
  void create(float[] weights, int wOff, float[] record, int off, int width);

  /** Applies the gradient {@code grad[gOff, gOff + width)} to the record at {@code off}. */
  void update(float[] record, int off, float[] grad, int gOff, int width);

  /**
   * Adds {@code delta[dOff, dOff + width)} to the record's weights, leaving its optimizer state
   * alone: how a parameter delta (K local steps on a worker) is applied, as the dense path adds a
   * delta to its parameters without an optimizer step.
   */
  default void addToWeights(float[] record, int off, float[] delta, int dOff, int width) {
    for (int i = 0; i < width; i++) {
      record[off + i] += delta[dOff + i];
    }
  }

  /** Writes the key's current weights from its record into {@code out[outOff, + width)}. */
  void weights(float[] record, int off, int width, float[] out, int outOff);

  /** Throws a clear error unless {@code value} is finite and above zero. */
  static void positive(String name, double value, String fix) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number above 0, got "
          + value + "; " + fix);
    }
  }

  /** Throws a clear error unless {@code value} is finite and at least zero. */
  static void nonNegative(String name, double value, String fix) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number of at least 0, got "
          + value + "; " + fix);
    }
  }
}
