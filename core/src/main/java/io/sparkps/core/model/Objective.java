package io.sparkps.core.model;

import io.sparkps.core.data.Block;
import java.util.Arrays;

/**
 * What training minimizes: the mean loss of a minibatch plus the regularizer's penalty. A worker
 * computes this over its minibatch and pushes the gradient; averaging pushes weighted by their
 * example counts yields the objective's gradient over all of them, because the penalty term is
 * the same in every push.
 */
public record Objective(Model model, Regularizer regularizer) {

  /**
   * Overwrites {@code grad} with the gradient of the objective over rows {@code [from, to)} and
   * returns the objective's value (mean loss plus penalty).
   */
  public double valueAndGradient(float[] params, Block block, int from, int to,
      float[] grad, Model.Workspace ws) {
    int n = to - from;
    if (n < 1) {
      throw new IllegalArgumentException("a minibatch needs at least 1 row, got [" + from + ", "
          + to + ")");
    }
    Arrays.fill(grad, 0f);
    double lossSum = model.lossAndGradient(params, block, from, to, grad, ws);
    return lossSum / n + model.finishGradient(params, grad, 1f / n, regularizer, ws);
  }

  /** The mean loss (no penalty) over all rows of {@code block}, in chunks of {@code chunk}. */
  public double meanLoss(float[] params, Block block, int chunk) {
    if (block.rows() == 0) {
      return Double.NaN;
    }
    Model.Workspace ws = model.newWorkspace(chunk);
    double sum = 0;
    for (int from = 0; from < block.rows(); from += chunk) {
      sum += model.loss(params, block, from, Math.min(block.rows(), from + chunk), ws);
    }
    return sum / block.rows();
  }
}
