package io.sparkps.ps.server;

import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.RoundStats;
import java.util.ArrayList;
import java.util.List;

/**
 * The pushes of one round. In sync mode it also sums the payloads, weighted by example count, in
 * ascending partition order whatever order they arrive in: a push is folded in as soon as all
 * lower partitions are, and held until then (the last partition's until {@link #finish}). The
 * sum is therefore the same float bits on every run and for every sharding:
 * {@code sum[i] = (float) e_0 * g_0[i] + (float) e_1 * g_1[i] + ...} in float arithmetic, and the
 * mean is {@code sum[i] / (float) (e_0 + e_1 + ...)}.
 */
final class RoundTally {
  private final long round;
  private final boolean[] seen;
  private final long[] examplesOf;
  private final float[][] held;
  private final boolean summing;
  private final FloatArrayPool pool;
  private float[] sum = new float[0];
  private int folded;
  private int pushes;
  private int duplicates;
  private long examples;
  private double lossSum;
  private long firstNanos;
  private long lastNanos;
  private long maxStaleness;
  private PayloadKind kind = PayloadKind.GRADIENT;

  RoundTally(long round, int partitions, boolean summing, FloatArrayPool pool) {
    this.round = round;
    this.pool = pool;
    this.seen = new boolean[partitions];
    this.examplesOf = new long[partitions];
    this.held = summing ? new float[partitions][] : new float[0][];
    this.summing = summing;
  }

  boolean seen(int partition) {
    return seen[partition];
  }

  void duplicate() {
    duplicates++;
  }

  /** The kind of the first push of this round ({@code GRADIENT} before any). */
  PayloadKind kind() {
    return kind;
  }

  /** Counts a new push; in summing mode keeps {@code values} (not copied) until it is folded. */
  void add(int partition, long pushExamples, double loss, PayloadKind pushKind, float[] values,
      long staleness) {
    if (!Double.isFinite(lossSum + loss)) {
      throw ShardService.invalid("push for round " + round + " from partition " + partition
          + " has lossSum " + loss + ", which makes the round's loss sum overflow; push the "
          + "sum of the minibatch's losses, a finite number of ordinary size");
    }
    long now = System.nanoTime();
    if (pushes == 0) {
      firstNanos = now;
      kind = pushKind;
    }
    lastNanos = now;
    seen[partition] = true;
    examplesOf[partition] = pushExamples;
    pushes++;
    examples = Math.addExact(examples, pushExamples); // bounded per push, checked anyway
    lossSum += loss;
    maxStaleness = Math.max(maxStaleness, staleness);
    if (summing) {
      held[partition] = values;
      if (!complete()) {
        foldReady(); // the push that completes the round leaves the rest to finish
      }
    }
  }

  /**
   * Folds, whole, the held pushes that are next in partition order, except the last partition's.
   * What is left when the round completes is folded by {@link #finish}, range by range, together
   * with the division and with whatever the caller does to each range of the mean (the optimizer
   * step and the copy into the reply), so that the work after the round's last push passes over a
   * large shard once.
   */
  private void foldReady() {
    while (folded < held.length - 1 && held[folded] != null) {
      float[] g = held[folded];
      if (folded == 0) {
        sum = pool.take();
      }
      fold(folded, 0, g.length);
      held[folded] = null;
      pool.give(g);
      folded++;
    }
  }

  /**
   * Folds the terms not folded yet (the last partition's, and any held before it) into
   * {@code [from, to)} of the sum, in partition order, and divides that range by the examples:
   * there {@link #mean()} then holds the weighted mean, with the floats of folding whole arrays.
   * Call once {@link #complete()}, over ranges that cover the shard once, then {@link #release()}.
   */
  void finish(int from, int to) {
    if (folded == 0 && sum.length == 0) {
      sum = pool.take();
    }
    for (int k = folded; k < held.length; k++) {
      fold(k, from, to);
    }
  }

  /**
   * Adds partition {@code k}'s term into {@code [from, to)} of the sum: the first term starts it
   * ({@code 0 + w * g}, with {@code + 0f} turning -0 into +0 exactly as a sum from 0 does), and
   * the last one, whose fold happens only once every push is in, also divides by the examples.
   */
  private void fold(int k, int from, int to) {
    float[] g = held[k];
    float w = (float) examplesOf[k];
    boolean last = k == held.length - 1;
    float total = (float) Math.max(1, examples);
    if (k == 0 && last) {
      for (int i = from; i < to; i++) {
        sum[i] = (w * g[i] + 0f) / total;
      }
    } else if (k == 0) {
      for (int i = from; i < to; i++) {
        sum[i] = w * g[i] + 0f;
      }
    } else if (last) {
      for (int i = from; i < to; i++) {
        sum[i] = (sum[i] + w * g[i]) / total;
      }
    } else {
      for (int i = from; i < to; i++) {
        sum[i] += w * g[i];
      }
    }
  }

  /** Whether every partition pushed (sync mode). */
  boolean complete() {
    return pushes == seen.length;
  }

  /**
   * The weighted mean of the payloads, where {@link #finish} has been called. A round in which
   * every minibatch was empty averages to zeros.
   */
  float[] mean() {
    return sum;
  }

  /** Gives the pushes not folded before {@link #finish} back to the pool; call once finished. */
  void release() {
    for (int k = folded; k < held.length; k++) {
      pool.give(held[k]);
      held[k] = null;
    }
    folded = held.length;
  }

  /** The partitions that have not pushed this round, ascending. */
  List<Integer> missing() {
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < seen.length; p++) {
      if (!seen[p]) {
        out.add(p);
      }
    }
    return out;
  }

  boolean started() {
    return pushes > 0;
  }

  RoundStats stats(double applyMillis) {
    double meanLoss = examples == 0 ? Double.NaN : lossSum / examples;
    return new RoundStats(round, pushes, duplicates, examples, meanLoss,
        (lastNanos - firstNanos) / 1e6, applyMillis, maxStaleness, System.currentTimeMillis());
  }
}
