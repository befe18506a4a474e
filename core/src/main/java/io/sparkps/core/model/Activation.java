package io.sparkps.core.model;

/**
 * Element-wise activations of hidden layers. Each is applied in place to pre-activations, and
 * its derivative is expressed through the activated value {@code a = f(z)}, which is all that
 * backpropagation keeps.
 */
public enum Activation {
  RELU {
    float apply(float z) {
      return z > 0f ? z : 0f;
    }

    float derivativeFromOutput(float a) {
      return a > 0f ? 1f : 0f;
    }
  },
  /** Leaky ReLU with slope {@value #LEAKY_SLOPE} below zero (Maas et al., 2013). */
  LEAKY_RELU {
    float apply(float z) {
      return z > 0f ? z : LEAKY_SLOPE * z;
    }

    float derivativeFromOutput(float a) {
      return a > 0f ? 1f : LEAKY_SLOPE;
    }
  },
  TANH {
    float apply(float z) {
      return (float) Math.tanh(z);
    }

    float derivativeFromOutput(float a) {
      return 1f - a * a;
    }
  },
  SIGMOID {
    float apply(float z) {
      return sigmoid(z);
    }

    float derivativeFromOutput(float a) {
      return a * (1f - a);
    }
  },
  IDENTITY {
    float apply(float z) {
      return z;
    }

    float derivativeFromOutput(float a) {
      return 1f;
    }
  };

  public static final float LEAKY_SLOPE = 0.01f;

  abstract float apply(float z);

  abstract float derivativeFromOutput(float a);

  /** Replaces {@code x[from..to)} by {@code f(x)}. */
  public void applyInPlace(float[] x, int from, int to) {
    for (int i = from; i < to; i++) {
      x[i] = apply(x[i]);
    }
  }

  /** Multiplies {@code delta[i]} by {@code f'(z_i)}, given the activated values {@code a}. */
  public void backprop(float[] activated, float[] delta, int from, int to) {
    if (this == IDENTITY) {
      return;
    }
    for (int i = from; i < to; i++) {
      delta[i] *= derivativeFromOutput(activated[i]);
    }
  }

  /** He initialization suits the rectifiers, Glorot (Xavier) the saturating ones. */
  public boolean prefersHeInit() {
    return this == RELU || this == LEAKY_RELU;
  }

  /** A logistic function that does not overflow for large |z|. */
  public static float sigmoid(float z) {
    return io.sparkps.core.compute.Logistic.sigmoid(z);
  }

  /** Parses {@code relu}, {@code leaky-relu} (or {@code leaky_relu}), {@code tanh}, {@code sigmoid}, {@code identity}. */
  public static Activation parse(String name) {
    String n = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    for (Activation a : values()) {
      if (a.name().equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown activation '" + name
        + "'; use one of relu, leaky-relu, tanh, sigmoid, identity");
  }
}
