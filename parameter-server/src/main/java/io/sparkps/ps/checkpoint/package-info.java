/**
 * Shard checkpoints through the Hadoop {@code FileSystem} API, so {@code file://} and
 * {@code hdfs://} both work: written to a temporary name, then renamed, so a crash while writing
 * never damages the previous checkpoint.
 */
package io.sparkps.ps.checkpoint;
