package io.sparkps.ps.server;

import io.sparkps.ps.api.PayloadKind;

/** One push as the shard receives it: the header fields and the shard's slice of floats. */
record PushData(
    long round, int partition, int attempt, long examples, double lossSum, PayloadKind kind,
    float[] values) {}
