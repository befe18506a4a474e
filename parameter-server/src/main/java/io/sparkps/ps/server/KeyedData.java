package io.sparkps.ps.server;

import io.sparkps.ps.api.PayloadKind;

/**
 * One keyed push as a shard receives it: the header fields, the shard's ascending unique keys,
 * their rows ({@code keys.length x width} floats), the shard's slice of the dense tail, the
 * payload's size on the wire (for the round's metrics) and the keys' slots from the pull of the
 * same keys on the same connection ({@link PullMemo}; null when unknown).
 */
record KeyedData(
    long round, int partition, int attempt, long examples, double lossSum, PayloadKind kind,
    long[] keys, float[] rows, float[] tail, long payloadBytes, PullMemo.Slots pulled) {

  /** The tail part as a dense push. */
  PushData tailPush() {
    return new PushData(round, partition, attempt, examples, lossSum, kind, tail);
  }
}
