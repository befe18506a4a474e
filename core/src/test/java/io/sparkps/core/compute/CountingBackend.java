package io.sparkps.core.compute;

import java.util.concurrent.atomic.AtomicLong;

/** A backend found through ServiceLoader in tests: the CPU loops, counted. */
public final class CountingBackend implements ComputeBackend {
  static final AtomicLong CALLS = new AtomicLong();

  @Override
  public String name() {
    return "counting";
  }

  @Override
  public void affine(float[] x, int xOff, int n, int in, float[] p, int wOff, int bOff, int out,
      float[] z) {
    CALLS.incrementAndGet();
    CpuBackend.INSTANCE.affine(x, xOff, n, in, p, wOff, bOff, out, z);
  }

  @Override
  public void accumulateWeightGradient(float[] x, int xOff, int n, int in, float[] delta, int out,
      float[] g, int wOff, int bOff) {
    CALLS.incrementAndGet();
    CpuBackend.INSTANCE.accumulateWeightGradient(x, xOff, n, in, delta, out, g, wOff, bOff);
  }

  @Override
  public void backpropDelta(float[] delta, int n, int out, float[] p, int wOff, int in,
      float[] prev) {
    CALLS.incrementAndGet();
    CpuBackend.INSTANCE.backpropDelta(delta, n, out, p, wOff, in, prev);
  }
}
