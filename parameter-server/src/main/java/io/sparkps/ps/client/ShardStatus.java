package io.sparkps.ps.client;

import io.sparkps.ps.api.ConsistencyMode;

/**
 * What one shard holds, as {@link ParameterServerAdmin#describe()} reports it. A shard without a
 * job reports size 0, version -1 and job id 0.
 */
public record ShardStatus(
    int shardId, int totalShards, long size, long version, ConsistencyMode mode,
    int expectedPartitions, long jobId) {

  /** Whether the shard has a job (init or restore happened). */
  public boolean initialized() {
    return size > 0;
  }
}
