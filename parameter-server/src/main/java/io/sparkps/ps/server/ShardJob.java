package io.sparkps.ps.server;

import io.sparkps.core.optim.Optimizer;
import io.sparkps.ps.api.ConsistencyMode;

/**
 * The job as one shard sees it: its slice {@code [start, start + length)} of the global vector,
 * the update rule and the consistency mode.
 *
 * @param optimizerJson the optimizer as received (kept verbatim for checkpoints)
 * @param jobId the job's id from its init or restore; 0 for a job restored when the process
 *     started, which only the admin's restore claims (under its own id)
 */
record ShardJob(
    int shardId, int totalShards, long size, int start, int length, Optimizer optimizer,
    String optimizerJson, ConsistencyMode mode, int partitions, long jobId) {}
