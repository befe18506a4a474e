package io.sparkps.core.train;

/**
 * Stopping by convergence and remembering the best parameters (Prechelt, "Early Stopping - But
 * When?", 1998). A check (the end of an epoch, or of a part of a long one) improves when its loss
 * is below {@code (1 - tol)} times the loss of the last check that improved; training stops after
 * {@code patience} checks in a row that do not. The best parameters are those of the lowest loss
 * seen, whether or not that check counted as an improvement. Patience 0 never stops; a NaN loss
 * (no validation rows and no training loss) is not a check.
 */
public final class EarlyStopping {
  private final int patience;
  private final double tol;
  private double best = Double.POSITIVE_INFINITY;
  private double reference = Double.POSITIVE_INFINITY;
  private int bestEpoch;
  private float[] bestParams;
  private int sinceBest;

  /** Any decrease counts as an improvement. */
  public EarlyStopping(int patience) {
    this(patience, 0);
  }

  public EarlyStopping(int patience, double tol) {
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be 0 (off) or positive, got " + patience);
    }
    if (!(tol >= 0 && tol < 1)) {
      throw new IllegalArgumentException("tol must be in [0, 1), got " + tol);
    }
    this.patience = patience;
    this.tol = tol;
  }

  /** Records a check's loss during {@code epoch}; returns true when training should stop. */
  public boolean update(int epoch, double loss, float[] params) {
    if (Double.isNaN(loss)) {
      return false;
    }
    if (loss < best) {
      best = loss;
      bestEpoch = epoch;
      bestParams = params.clone();
    }
    if (loss < reference - tol * Math.abs(reference) || reference == Double.POSITIVE_INFINITY) {
      reference = loss;
      sinceBest = 0;
      return false;
    }
    sinceBest++;
    return converged();
  }

  /** Whether the last {@code patience} checks did not improve (never with patience 0). */
  public boolean converged() {
    return patience > 0 && sinceBest >= patience;
  }

  /** 0 until an epoch with a loss has been recorded. */
  public int bestEpoch() {
    return bestEpoch;
  }

  public double bestLoss() {
    return best;
  }

  /** Checks in a row without an improvement of {@code tol}. */
  public int sinceBest() {
    return sinceBest;
  }

  /**
   * What a checkpoint keeps so that a resumed run stops where the uninterrupted one would.
   *
   * @param bestLoss the best loss so far (infinity before the first)
   * @param bestEpoch its epoch, 0 before the first
   * @param sinceBest checks since the last improvement of {@code tol}
   * @param bestParams its parameters (empty before the first)
   * @param reference the loss of the last check that improved by {@code tol} (null: bestLoss,
   *     as in checkpoints written before {@code tol} existed)
   */
  public record State(double bestLoss, int bestEpoch, int sinceBest, float[] bestParams,
      Double reference) {

    /** A state whose reference is its best loss. */
    public State(double bestLoss, int bestEpoch, int sinceBest, float[] bestParams) {
      this(bestLoss, bestEpoch, sinceBest, bestParams, null);
    }
  }

  public State state() {
    return new State(best, bestEpoch, sinceBest, bestParams == null ? new float[0]
        : bestParams.clone(), reference);
  }

  /** Continues from a checkpointed state. */
  public void restore(State s) {
    best = s.bestLoss();
    bestEpoch = s.bestEpoch();
    sinceBest = s.sinceBest();
    reference = s.reference() == null ? s.bestLoss() : s.reference();
    bestParams = s.bestParams().length == 0 ? null : s.bestParams().clone();
  }

  /** The best parameters seen, or {@code fallback} when none were recorded. */
  public float[] bestParamsOr(float[] fallback) {
    return bestParams != null ? bestParams : fallback;
  }
}
