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

  /**
   * What a checkpoint keeps so that a resumed run stops where the uninterrupted one would.
   *
   * @param bestLoss the best validation loss so far (infinity before the first)
   * @param bestEpoch its epoch, 0 before the first
   * @param sinceBest epochs since it
   * @param bestParams its parameters (empty before the first)
   */
  public record State(double bestLoss, int bestEpoch, int sinceBest, float[] bestParams) {
  }

  public State state() {
    return new State(best, bestEpoch, sinceBest, bestParams == null ? new float[0]
        : bestParams.clone());
  }

  /** Continues from a checkpointed state. */
  public void restore(State s) {
    best = s.bestLoss();
    bestEpoch = s.bestEpoch();
    sinceBest = s.sinceBest();
    bestParams = s.bestParams().length == 0 ? null : s.bestParams().clone();
  }

  /** The best parameters seen, or {@code fallback} when none were recorded. */
  public float[] bestParamsOr(float[] fallback) {
    return bestParams != null ? bestParams : fallback;
  }
}
