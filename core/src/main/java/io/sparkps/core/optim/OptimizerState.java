package io.sparkps.core.optim;

/** Per-parameter state of an update rule: {@code slots} arrays, each as long as the parameters. */
public final class OptimizerState {
  private final float[][] slots;

  private OptimizerState(float[][] slots) {
    this.slots = slots;
  }

  public static OptimizerState zeros(int slotCount, int size) {
    return new OptimizerState(new float[slotCount][size]);
  }

  /** Wraps existing arrays (a restored checkpoint); they are not copied. */
  public static OptimizerState of(float[][] slots) {
    return new OptimizerState(slots);
  }

  public int slotCount() {
    return slots.length;
  }

  public float[] slot(int i) {
    return slots[i];
  }
}
