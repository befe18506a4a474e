package io.sparkps.ps.client;

import io.sparkps.ps.api.ConsistencyMode;

/**
 * What one shard holds, as {@link ParameterServerAdmin#describe()} reports it. A shard without a
 * job reports size 0 and version -1.
 */
public record ShardStatus(
    int shardId, int totalShards, long size, long version, ConsistencyMode mode,
    int expectedPartitions) {

  /** Whether the shard has a job (init or restore happened). */
  public boolean initialized() {
    return size > 0;
  }
}
