/**
 * Examples in memory: {@link io.sparkps.core.data.Block}s, dense row-major
 * {@link io.sparkps.core.data.ExampleBlock}s or compressed sparse rows
 * ({@link io.sparkps.core.data.SparseBlock}), the
 * {@link io.sparkps.core.data.RowParser} that turns text rows into them with errors that name
 * file, line, column and value, label encoding, standardization and seeded shuffles; and the
 * seeded benchmark generators: {@link io.sparkps.core.data.SynthData} (synth-N) and
 * {@link io.sparkps.core.data.CtrSynthData} (ctr-N, click-through rows with a known truth,
 * {@link io.sparkps.core.data.CtrTruth}, and Zipf-distributed values drawn by
 * {@link io.sparkps.core.data.ZipfSampler}).
 */
package io.sparkps.core.data;
