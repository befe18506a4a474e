package io.sparkps.ps.server;

import io.sparkps.ps.keyed.KeySharding;
import io.sparkps.ps.keyed.KeyedTable;
import io.sparkps.ps.keyed.RowInitializer;
import io.sparkps.ps.keyed.SparseOptimizer;

/**
 * The keyed part of a job as one shard sees it (the dense tail is the shard's {@link ShardJob}).
 *
 * @param ruleJson the sparse rule as received (kept verbatim for checkpoints)
 * @param modelJson the model whose rows initialize keys, as received ("" for zeros)
 * @param tailLength the whole dense tail's length (the shard holds its {@link ShardJob} slice)
 */
record KeyedJob(
    int width, SparseOptimizer rule, String ruleJson, String modelJson, RowInitializer initializer,
    long initSeed, KeySharding sharding, long maxTableBytes, int tailLength) {

  /** A fresh, empty table of this job. */
  KeyedTable newTable() {
    return new KeyedTable(width, rule, initializer, maxTableBytes);
  }
}
