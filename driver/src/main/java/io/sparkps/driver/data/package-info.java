/**
 * The data path into Spark: {@link io.sparkps.driver.data.SparkDataLoader} reads CSV, LibSVM or
 * Parquet from any Hadoop file system into cached
 * {@link io.sparkps.core.data.Block}s (dense or sparse), one per worker partition, reading the
 * input once (statistics and chunks, cached, then gathered into blocks) with the same row parsers
 * as the in-process reader;
 * {@link io.sparkps.driver.data.SparkEvaluation} scores a model over such blocks.
 */
package io.sparkps.driver.data;
