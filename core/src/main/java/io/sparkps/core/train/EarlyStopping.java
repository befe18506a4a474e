package io.sparkps.core.train;

/**
 * Stops when the validation loss has not improved for {@code patience} epochs and remembers the
 * best parameters (Prechelt, "Early Stopping - But When?", 1998). Patience 0 never stops.
 */
public final class EarlyStopping {
  private final int patience;
  private double best = Double.POSITIVE_INFINITY;
  private int bestEpoch;
  private float[] bestParams;
  private int sinceBest;

  public EarlyStopping(int patience) {
    this.patience = patience;
  }

  /** Records an epoch's validation loss; returns true when training should stop. */
  public boolean update(int epoch, double validationLoss, float[] params) {
    if (Double.isNaN(validationLoss)) {
      return false;
    }
    if (validationLoss < best) {
      best = validationLoss;
      bestEpoch = epoch;
      bestParams = params.clone();
      sinceBest = 0;
      return false;
    }
    sinceBest++;
    return patience > 0 && sinceBest >= patience;
  }

  /** 0 until an epoch with a validation loss has been recorded. */
  public int bestEpoch() {
    return bestEpoch;
  }

  public double bestLoss() {
    return best;
  }

  /** The best parameters seen, or {@code fallback} when none were recorded. */
  public float[] bestParamsOr(float[] fallback) {
    return bestParams != null ? bestParams : fallback;
  }
}
