package io.sparkps.ps.server;

import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.keyed.KeyedTable;
import io.sparkps.ps.keyed.TableSpec;
import io.sparkps.ps.wire.Protocol;
import java.util.List;

/**
 * The keyed table of one shard's keyed job and the rows of the sync round in progress. The dense
 * tail, the clocks, the version, the duplicate detection by {@code (round, partition)} and the
 * round statistics are those of the shard's {@link JobState}, which this class drives: every
 * keyed push is checked here first, its rows applied (or held), and then its tail pushed to the
 * {@link JobState}, so the rows and the tail of a push are counted together or not at all.
 * Not thread-safe: {@link Shard} guards it.
 *
 * <p>Sync mode: the rows of a round are held per partition until every partition has pushed,
 * summed per key in ascending partition order (folded as they arrive where that order allows,
 * {@link KeyedRound}), each weighted by its example count, divided
 * by the round's examples (a key absent from a push adds nothing, as a zero gradient would in
 * the dense sum of {@link RoundTally}), and applied once per key: one rule step per key per
 * round. ssp and async apply each push on arrival, a delta scaled by {@code 1 / N} as the dense
 * path does.
 */
final class KeyedState {
  private final TableSpec job;
  private final KeyedTable table;
  private final KeyedData[] held;
  private int heldCount;
  /** The held pushes already summed: partitions 0 to {@code folded - 1}, or the first of 2. */
  private KeyedRound.Sums sums = KeyedRound.Sums.EMPTY;
  private final boolean[] inSums;
  private final KeyedCounters counters = new KeyedCounters();

  KeyedState(TableSpec job, KeyedTable table, int partitions) {
    this.job = job;
    this.table = table;
    this.held = new KeyedData[partitions];
    this.inSums = new boolean[partitions];
  }

  TableSpec job() {
    return job;
  }

  /** The table; only under the shard's lock. */
  KeyedTable table() {
    return table;
  }

  KeyedCounters counters() {
    return counters;
  }

  /**
   * Counts a validated keyed push: applies its rows (or holds them until its sync round is
   * complete) and pushes its tail to {@code s}. A refused push changes nothing.
   */
  PushOutcome push(JobState s, KeyedData p, List<RoundStats> published) {
    s.requireHealthy();
    PushOutcome o = route(s, p, published);
    if (o == PushOutcome.ACCEPTED) {
      counters.bytes(p.payloadBytes(), 0);
    }
    counters.close(published, table);
    return o;
  }

  private PushOutcome route(JobState s, KeyedData p, List<RoundStats> published) {
    ShardJob dense = s.job();
    if (dense.mode() instanceof ConsistencyMode.Sync) {
      return pushSync(s, p, published);
    }
    long clock = s.clocks()[p.partition()];
    long ahead = p.round() - s.version();
    boolean tooFar = dense.mode() instanceof ConsistencyMode.Ssp
        ? ahead > dense.mode().staleness() : ahead > Protocol.MAX_ROUNDS_AHEAD;
    if (p.round() < clock || tooFar) {
      return s.push(p.tailPush(), published); // a duplicate, or the dense path's refusal
    }
    if (p.kind() == PayloadKind.GRADIENT) {
      apply(s, p.round(), p.keys(), p.rows(), false, known(p));
    } else {
      float share = 1f / dense.partitions();
      float[] d = p.rows().clone();
      for (int i = 0; i < d.length; i++) {
        d[i] = share * d[i];
      }
      apply(s, p.round(), p.keys(), d, true, known(p));
    }
    counters.pushed(p.keys().length, p.keys().length);
    return s.push(p.tailPush(), published);
  }

  private PushOutcome pushSync(JobState s, KeyedData p, List<RoundStats> published) {
    if (p.round() != s.version() || held[p.partition()] != null) {
      return s.push(p.tailPush(), published); // duplicate or unknown round, as dense
    }
    PayloadKind first = firstKind();
    if (first != null && first != p.kind()) {
      return s.push(p.tailPush(), published); // the dense path refuses the mixed round
    }
    if (heldCount < held.length - 1) {
      PushOutcome o = s.push(p.tailPush(), published);
      held[p.partition()] = p;
      heldCount++;
      foldReady(held.length == 2 ? p.partition() : -1);
      return o;
    }
    held[p.partition()] = p;
    try {
      KeyedRound.Mean mean = lastFold().mean();
      apply(s, p.round(), mean.keys(), mean.rows(), p.kind() == PayloadKind.DELTA,
          mean.slots());
      PushOutcome o = s.push(p.tailPush(), published);
      counters.pushed(mean.pushedKeys(), mean.keys().length);
      clearHeld();
      return o;
    } finally {
      if (held[p.partition()] == p && heldCount < held.length) {
        held[p.partition()] = null; // refused: the round still waits for this partition
      }
    }
  }

  /**
   * Folds into {@link #sums} the held pushes next in partition order, and {@code any} (a
   * partition, or -1) whatever its order: the caller passes it only in rounds of 2 partitions.
   */
  private void foldReady(int any) {
    if (any >= 0 && !inSums[any]) {
      sums = KeyedRound.fold(sums, held[any], known(held[any]), job.width());
      inSums[any] = true;
      return;
    }
    for (int q = 0; q < held.length - 1 && held[q] != null; q++) {
      if (!inSums[q]) {
        sums = KeyedRound.fold(sums, held[q], known(held[q]), job.width());
        inSums[q] = true;
      }
    }
  }

  /**
   * The round's sums with every held push not folded yet, in partition order, leaving
   * {@link #sums} as it was (the table may still refuse the round).
   */
  private KeyedRound.Sums lastFold() {
    KeyedRound.Sums all = sums;
    for (int q = 0; q < held.length; q++) {
      if (!inSums[q]) {
        all = KeyedRound.fold(all, held[q], known(held[q]), job.width());
      }
    }
    return all;
  }

  /**
   * The slots of a push's keys from its connection's pull, if they are slots of this table (a
   * job replaced or restored since has another table), else null.
   */
  private int[] known(KeyedData p) {
    return p.pulled() != null && p.pulled().table() == table ? p.pulled().slots() : null;
  }

  private PayloadKind firstKind() {
    for (KeyedData d : held) {
      if (d != null) {
        return d.kind();
      }
    }
    return null;
  }

  private void clearHeld() {
    java.util.Arrays.fill(held, null);
    java.util.Arrays.fill(inSums, false);
    sums = KeyedRound.Sums.EMPTY;
    heldCount = 0;
  }

  /**
   * Applies rows to the table; the table's refusals become the protocol's, and an update that
   * made a row non-finite fails the job ({@link JobState#failKeyed}), as the dense path does.
   */
  private void apply(JobState s, long round, long[] keys, float[] rows, boolean delta,
      int[] known) {
    int bad;
    try {
      bad = delta ? table.addToWeights(keys, rows, known) : table.push(keys, rows, known);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw ShardService.invalid(e.getMessage());
    }
    if (bad >= 0) {
      throw s.failKeyed(round, keys[bad]);
    }
  }

  /**
   * The rows of {@code keys} (ascending, unique), absent ones as their first push will create
   * them; the keys' slots in the table into {@code slots} (-1 for absent ones).
   */
  float[] pull(long[] keys, int[] slots) {
    float[] out = new float[keys.length * job.width()];
    try {
      table.pull(keys, out, slots);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw ShardService.invalid(e.getMessage());
    }
    counters.pulled(keys.length);
    return out;
  }

  /** Writes the table's weights and {@code s}'s tail slice into {@code modelDir}. */
  long export(JobState s, java.net.URI modelDir) throws java.io.IOException {
    ShardJob j = s.job();
    return io.sparkps.ps.keyed.WeightsFile.writeTo(modelDir, new io.sparkps.ps.keyed.WeightsFile
        .Part(table, job, j.shardId(), j.totalShards(), j.start(), s.params().clone()));
  }

  /** Whether some partition's rows wait for the rest of their sync round. */
  boolean roundInFlight() {
    return heldCount > 0;
  }
}
