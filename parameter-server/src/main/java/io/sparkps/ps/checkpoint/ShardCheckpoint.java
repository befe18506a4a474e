package io.sparkps.ps.checkpoint;

import io.sparkps.ps.keyed.KeyedTable;
import io.sparkps.ps.keyed.TableSpec;
import java.util.Optional;

/**
 * Everything a shard needs to continue a job: the job description, the version (rounds
 * completed), the optimizer's update count and per-partition clocks, the parameters and the
 * optimizer state slots. A checkpoint never holds a round in flight: its pushes are redone.
 *
 * <p>A keyed job's checkpoint holds its dense tail's slice as {@code params} (with {@code size}
 * the whole tail's length) and its table in {@code keyed}. When writing, that table is the live
 * one, read while the shard is locked; when reading, a fresh table restored from the file.
 */
public record ShardCheckpoint(
    int shardId, int totalShards, long size, int start, String optimizerJson, int modeCode,
    int staleness, int partitions, long version, long updates, long[] clocks, float[] params,
    float[][] slots, Optional<Keyed> keyed) {

  /** A dense job's checkpoint. */
  public ShardCheckpoint(
      int shardId, int totalShards, long size, int start, String optimizerJson, int modeCode,
      int staleness, int partitions, long version, long updates, long[] clocks, float[] params,
      float[][] slots) {
    this(shardId, totalShards, size, start, optimizerJson, modeCode, staleness, partitions,
        version, updates, clocks, params, slots, Optional.empty());
  }

  /** The keyed table of a keyed job and its declaration. */
  public record Keyed(TableSpec spec, KeyedTable table) {}
}
