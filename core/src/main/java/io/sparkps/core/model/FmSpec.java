package io.sparkps.core.model;

import io.sparkps.core.compute.ComputeBackend;

/**
 * A factorization machine of degree 2 (Rendle, ICDM 2010) over sparse rows: a global bias, a
 * linear weight and a {@code factors}-dimensional latent vector per key. Regression with squared
 * or Huber loss, binary classification with log loss. JSON type name {@code fm}.
 *
 * @param inputs the key space (index bound of the sparse rows)
 * @param factors K, the latent dimension, 1 to 1024
 * @param loss squared, Huber or log loss
 * @param initScale standard deviation of the latent factors' seeded normal initialization
 */
public record FmSpec(int inputs, int factors, Loss loss, double initScale) implements ModelSpec {

  /** The default standard deviation of the initial factors. */
  public static final double DEFAULT_INIT_SCALE = 0.01;

  public FmSpec {
    if (inputs < 1) {
      throw new IllegalArgumentException("a factorization machine needs a key space of at least "
          + "1, got " + inputs);
    }
    if (factors < 1 || factors > 1024) {
      throw new IllegalArgumentException("--factors must be 1 to 1024, got " + factors);
    }
    if (loss.task() == Task.MULTICLASS) {
      throw new IllegalArgumentException("a factorization machine does regression or binary "
          + "classification, not " + loss.task() + "; use softmax or mlp for several classes");
    }
    if (!(initScale > 0) || !Double.isFinite(initScale)) {
      throw new IllegalArgumentException("initScale must be a positive number, got " + initScale);
    }
    if ((long) inputs * (factors + 1) + 1 > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(inputs + " keys x " + (factors + 1) + " floats do not "
          + "fit one parameter vector; use fewer hash bits or factors");
    }
  }

  /** A factorization machine with the default initialization. */
  public static FmSpec of(int inputs, int factors, Loss loss) {
    return new FmSpec(inputs, factors, loss, DEFAULT_INIT_SCALE);
  }

  @Override
  public int outputs() {
    return 1;
  }

  @Override
  public String name() {
    return "fm";
  }

  @Override
  public String shape() {
    return KeySpace.describe(inputs) + " x " + (factors + 1);
  }

  @Override
  public FactorizationMachine build() {
    return build(io.sparkps.core.compute.CpuBackend.INSTANCE);
  }

  @Override
  public FactorizationMachine build(ComputeBackend backend) {
    return new FactorizationMachine(this);
  }
}
