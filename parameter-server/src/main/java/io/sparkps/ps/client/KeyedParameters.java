package io.sparkps.ps.client;

import io.sparkps.ps.api.KeyedPush;
import io.sparkps.ps.api.PushOutcome;

/**
 * A worker's view of a keyed job: it pulls and pushes only the rows of the keys its minibatches
 * touch, plus the dense tail, so its memory depends on those keys and never on the model's size.
 * Keys are split over the shards by the job's {@code KeySharding}; the implementation sends each
 * shard its sorted sub-list and puts the replies back in the caller's key order.
 *
 * <p>Rounds pace as in the dense path: in synchronous mode a pull of round {@code r} returns once
 * every partition has pushed round {@code r - 1}.
 */
public interface KeyedParameters extends AutoCloseable {

  /** Floats per key. */
  int width();

  /** Floats of the dense tail (0 when the model has none). */
  int tailLength();

  /**
   * Pulls round {@code round}'s rows of the ascending, unique {@code keys[0, count)} into
   * {@code rows} ({@code count * width} floats, in the keys' order) and the dense tail into
   * {@code tail}. Keys never seen before get their seeded initial rows. Returns the version the
   * servers answered with (the smallest over the shards asked).
   */
  long pull(long round, long[] keys, int count, float[] rows, float[] tail);

  /** Pushes one round's rows and tail; a duplicate {@code (round, partition)} is ignored. */
  PushOutcome push(KeyedPush push);

  /** Fails any call blocked in a pull at once (the Spark task was killed). */
  void abort();

  @Override
  void close();
}
