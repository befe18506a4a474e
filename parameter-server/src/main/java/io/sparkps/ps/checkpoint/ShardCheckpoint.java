package io.sparkps.ps.checkpoint;

/**
 * Everything a shard needs to continue a job: the job description, the version (rounds
 * completed), the optimizer's update count and per-partition clocks, the parameters and the
 * optimizer state slots. A checkpoint never holds a round in flight: its pushes are redone.
 */
public record ShardCheckpoint(
    int shardId, int totalShards, long size, int start, String optimizerJson, int modeCode,
    int staleness, int partitions, long version, long updates, long[] clocks, float[] params,
    float[][] slots) {}
