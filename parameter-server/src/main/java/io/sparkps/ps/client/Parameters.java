package io.sparkps.ps.client;

/**
 * A full parameter vector and its version: the smallest version among the shards that answered
 * (in sync mode all shards answer with the same one).
 */
public record Parameters(long version, float[] values) {}
