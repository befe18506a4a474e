package io.sparkps.core.train;

/**
 * The one formula of overlapped rounds ({@link TrainingConfig#overlap()}), shared by the
 * reference trainer and the Spark worker so that they compute the same floats.
 *
 * <p>A worker computes its delta {@code d(r)} of round {@code r} from its start {@code s(r)}, sends
 * it, and starts round {@code r + 1} at once from {@code s(r + 1) = P(r) + d(r)}, where {@code
 * P(r)} are the server's parameters that round {@code r} began with (the average of round {@code
 * r - 1}): its own progress on top of the last average it has. It then waits for {@code P(r + 1)}
 * only after computing round {@code r + 1}. With one worker, {@code P(r + 1) = P(r) + d(r)} is
 * that start, so overlap changes nothing but the waiting: float for float in the reference
 * trainer, whose mean of one delta is exact; through the parameter server up to the rounding of
 * its float mean ({@code e * d / e}), which is last-bit noise.
 *
 * <p>With several workers each delta is one round stale: on synth-1M (2 workers, 32 local steps)
 * the first epoch ends at a slightly higher loss than without overlap, the fourth at the same
 * accuracy (see {@code bench/README.md}).
 */
public final class Overlap {

  private Overlap() {
  }

  /** Writes {@code params + delta} into {@code start}: the start of the next round. */
  public static void nextStart(float[] params, float[] delta, float[] start) {
    for (int i = 0; i < start.length; i++) {
      start[i] = params[i] + delta[i];
    }
  }
}
