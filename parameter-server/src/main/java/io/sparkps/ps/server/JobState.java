package io.sparkps.ps.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sparkps.core.optim.OptimizerState;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.wire.Payloads;
import io.sparkps.ps.wire.Protocol;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parameters of one shard, its optimizer state and the rounds in progress; the update rules
 * of the three consistency modes. Not thread-safe: {@link Shard} guards it.
 *
 * <p>The version is the number of rounds every partition has completed: in sync mode the number
 * of applied rounds; in ssp and async mode the smallest per-partition clock (Ho et al. 2013).
 */
final class JobState {
  /** Floats per range of the work after a sync round's last push (32 KB per array). */
  static final int RANGE = 8192;
  private final ShardJob job;
  private final float[] params;
  private final OptimizerState optState;
  private final long[] clocks;
  private final TreeMap<Long, RoundTally> tallies = new TreeMap<>();
  private final FloatArrayPool pool;
  private long version;
  private long updates;
  private ByteBuf published = Unpooled.EMPTY_BUFFER;
  private long publishedAt = -1;
  /** Set when an update made the parameters non-finite: the job stops at its last version. */
  private Optional<ParameterServerException> failure = Optional.empty();

  JobState(ShardJob job, float[] params, OptimizerState optState, long version, long updates,
      long[] clocks) {
    this.job = job;
    this.params = params;
    this.optState = optState;
    this.version = version;
    this.updates = updates;
    this.clocks = clocks;
    this.pool = new FloatArrayPool(job.length(), job.partitions() + 1);
  }

  /** A fresh job at version 0. */
  static JobState fresh(ShardJob job, float[] initial) {
    return new JobState(job, initial, job.optimizer().newState(job.length()), 0, 0,
        new long[job.partitions()]);
  }

  ShardJob job() {
    return job;
  }

  /** Where pushes of this job are decoded into (and returned to once used). */
  FloatArrayPool pool() {
    return pool;
  }

  long version() {
    return version;
  }

  long updates() {
    return updates;
  }

  float[] params() {
    return params;
  }

  OptimizerState optState() {
    return optState;
  }

  /**
   * The parameters as a payload buffer, copied once per update and shared by every reply of that
   * update (each gets its own reference; the encoder releases it). The buffer of the previous
   * update is overwritten when no reply holds it any more (the usual case in sync mode, where
   * every puller has read its reply before the next round can complete), so a large shard does
   * not allocate and fault in fresh memory every round.
   */
  ByteBuf payload(ByteBufAllocator alloc) {
    if (publishedAt != updates) {
      if (job.length() > 0 && reusable(Float.BYTES * job.length())) {
        // only this state holds it, and replies only ever release theirs: safe to overwrite
        Payloads.writeFloats(published, params, 0, job.length());
      } else {
        published.release();
        published = Payloads.fromFloats(alloc, params, 0, job.length());
      }
      publishedAt = updates;
    }
    return published.retainedDuplicate();
  }

  /** Drops the shared payload buffer (the job is being replaced). */
  void releasePayload() {
    published.release();
    published = Unpooled.EMPTY_BUFFER;
    publishedAt = -1;
  }

  long[] clocks() {
    return clocks.clone();
  }

  /** Whether some round has pushes that are not applied yet. */
  boolean roundInFlight() {
    return tallies.values().stream().anyMatch(RoundTally::started);
  }

  /**
   * Counts a validated push and applies what it completes. Returns the outcome and, through
   * {@code published}, the stats of each round it completed.
   */
  PushOutcome push(PushData p, List<RoundStats> published) {
    requireHealthy();
    if (p.values().length != job.length()) {
      throw new ParameterServerException(ErrorCode.INVALID_REQUEST, "push for round "
          + p.round() + " carries " + p.values().length + " floats but shard " + job.shardId()
          + " now holds " + job.length() + " (the job was re-initialised); pull again.");
    }
    return job.mode() instanceof ConsistencyMode.Sync ? pushSync(p, published)
        : pushOnArrival(p, published);
  }

  private PushOutcome pushSync(PushData p, List<RoundStats> published) {
    if (p.round() < version) {
      return PushOutcome.DUPLICATE;
    }
    if (p.round() > version) {
      throw unknownRound(p, "the server is at version " + version + " and accepts pushes for "
          + "round " + version + " only (sync mode); pull version " + p.round() + " first");
    }
    RoundTally t = tallies.computeIfAbsent(version,
        r -> new RoundTally(r, job.partitions(), true, pool));
    if (t.seen(p.partition())) {
      t.duplicate();
      return PushOutcome.DUPLICATE;
    }
    if (t.started() && t.kind() != p.kind()) {
      throw new ParameterServerException(ErrorCode.INVALID_REQUEST, "round " + p.round()
          + " mixes " + t.kind() + " and " + p.kind() + " pushes (partition " + p.partition()
          + "); every partition of a job must push the same kind.");
    }
    t.add(p.partition(), p.examples(), p.lossSum(), p.kind(), p.values(), 0);
    if (t.complete()) {
      long t0 = System.nanoTime();
      applyRound(t);
      tallies.remove(version);
      version++;
      published.add(t.stats((System.nanoTime() - t0) / 1e6));
    }
    return PushOutcome.ACCEPTED;
  }

  /**
   * Finishes the mean of a complete round, applies it and, when no reply holds the payload
   * buffer any more (the usual case), copies the new parameters into it: one range of
   * {@link #RANGE} floats at a time, so that the sum, the last push, the parameters, the optimizer
   * state and the reply are each read and written once from cache instead of in four passes over
   * memory. The floats are those of whole-array folding and stepping.
   */
  private void applyRound(RoundTally t) {
    updates++;
    int bytes = Float.BYTES * params.length;
    boolean publish = params.length > 0 && reusable(bytes);
    boolean gradient = t.kind() == PayloadKind.GRADIENT;
    int firstNonFinite = -1;
    for (int from = 0; from < params.length; from += RANGE) {
      int to = Math.min(params.length, from + RANGE);
      t.finish(from, to);
      float[] mean = t.mean();
      if (gradient) {
        job.optimizer().step(params, mean, optState, version + 1, from, to);
      } else {
        for (int i = from; i < to; i++) {
          params[i] += mean[i];
        }
      }
      if (firstNonFinite < 0 && !ShardService.allFinite(params, from, to)) {
        firstNonFinite = ShardService.firstNonFinite(params, from, to);
      }
      if (publish) {
        Payloads.setFloats(published, from, params, from, to - from);
      }
    }
    pool.give(t.mean());
    t.release();
    if (firstNonFinite >= 0) {
      publishedAt = -1; // the reply buffer may hold part of the refused update
      throw fail(version, firstNonFinite);
    }
    if (publish) {
      published.setIndex(0, bytes);
      publishedAt = updates;
    }
  }

  /**
   * Refuses the round whose update made parameter {@code index} non-finite: the version stays
   * at the last good one and every later push, pull and checkpoint of this job gets the same
   * error (its workers would only push the same values again, and the parameters hold part of
   * the refused update, so they are never served or written; the last checkpoint is the way
   * back). Checking after the update costs one pass over cached ranges, where keeping a copy to
   * roll back to would cost a copy of the shard and its optimizer state every round.
   */
  private ParameterServerException fail(long round, int index) {
    ParameterServerException e = new ParameterServerException(ErrorCode.NON_FINITE_VALUES,
        "round " + round + " was refused: its update made parameter " + (job.start() + index)
        + " non-finite (" + params[index] + "), so shard " + job.shardId() + " stops at version "
        + version + " and serves no parameters any more; lower the learning rate or clip "
        + "gradients, then resume from the last checkpoint.");
    failure = Optional.of(e);
    return e;
  }

  /**
   * Fails the job as {@link #fail} does, for an update of its keyed table that made the row of
   * {@code key} non-finite: the version stays and the job serves nothing more.
   */
  ParameterServerException failKeyed(long round, long key) {
    ParameterServerException e = new ParameterServerException(ErrorCode.NON_FINITE_VALUES,
        "round " + round + " was refused: its update made the row of key " + key + " of shard "
        + job.shardId() + " non-finite, so the shard stops at version " + version + " and "
        + "serves no rows any more; lower the learning rate or clip gradients, then resume from "
        + "the last checkpoint.");
    failure = Optional.of(e);
    return e;
  }

  /** Throws the failure of this job, if an update made it non-finite. */
  void requireHealthy() {
    if (failure.isPresent()) {
      throw failure.get();
    }
  }

  /** Whether an update made this job's parameters non-finite. */
  boolean failed() {
    return failure.isPresent();
  }

  /** Whether only this state holds the payload buffer and it has room for the parameters. */
  private boolean reusable(int bytes) {
    // >=: the pool may round a buffer's capacity up (a 40 MB one to 40 MiB)
    return published.refCnt() == 1 && published.capacity() >= bytes;
  }

  private PushOutcome pushOnArrival(PushData p, List<RoundStats> published) {
    int part = p.partition();
    if (p.round() < clocks[part]) {
      if (p.round() >= version) {
        tallies.computeIfAbsent(p.round(), r -> new RoundTally(r, job.partitions(), false, pool))
            .duplicate();
      }
      return PushOutcome.DUPLICATE;
    }
    int s = job.mode().staleness();
    if (job.mode() instanceof ConsistencyMode.Ssp && p.round() - version > s) {
      throw unknownRound(p, "partition " + part + " is more than " + s + " rounds ahead of the "
          + "slowest partition (version " + version + "); pull round " + p.round() + " first");
    }
    if (p.round() - version > Protocol.MAX_ROUNDS_AHEAD) {
      throw unknownRound(p, "it is more than " + Protocol.MAX_ROUNDS_AHEAD + " rounds ahead of "
          + "the slowest partition (version " + version + "); a worker pushes the round it "
          + "pulled, so this round number is corrupt");
    }
    long staleness = Math.max(0, Arrays.stream(clocks).max().orElse(0) - p.round());
    tallies.computeIfAbsent(p.round(), r -> new RoundTally(r, job.partitions(), false, pool))
        .add(part, p.examples(), p.lossSum(), p.kind(), p.values(), staleness);
    updates++;
    if (p.kind() == PayloadKind.GRADIENT) {
      job.optimizer().step(params, p.values(), optState, updates);
    } else {
      float share = 1f / job.partitions();
      for (int i = 0; i < params.length; i++) {
        params[i] += share * p.values()[i];
      }
    }
    pool.give(p.values());
    if (!ShardService.allFinite(params, 0, params.length)) {
      publishedAt = -1;
      throw fail(p.round(), ShardService.firstNonFinite(params, 0, params.length));
    }
    clocks[part] = p.round() + 1;
    advanceVersion(published);
    return PushOutcome.ACCEPTED;
  }

  /** Moves the version to the slowest clock, publishing the tallies of the rounds passed. */
  private void advanceVersion(List<RoundStats> published) {
    long min = Arrays.stream(clocks).min().orElse(0);
    if (min <= version) {
      return;
    }
    // by the tallies kept, never one step per round: a jump costs what was tallied, not its size
    var passed = tallies.headMap(min);
    passed.values().forEach(t -> published.add(t.stats(0)));
    passed.clear();
    version = min;
  }

  private ParameterServerException unknownRound(PushData p, String why) {
    return new ParameterServerException(ErrorCode.UNKNOWN_ROUND, "push for round " + p.round()
        + " from partition " + p.partition() + " refused: " + why + ".");
  }

  /** Whether a pull for {@code round} may be answered now. */
  boolean pullReady(long round) {
    return switch (job.mode().wireCode()) {
      case 0 -> version >= round;
      case 1 -> version >= round - job.mode().staleness();
      default -> true;
    };
  }

  /** A sentence naming what a pull for {@code round} is still waiting for. */
  String waitingFor(long round) {
    return WaitSentence.of(job, version, tallies.get(version), clocks, round);
  }
}
