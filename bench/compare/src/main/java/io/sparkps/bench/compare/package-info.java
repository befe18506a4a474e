/**
 * The side-by-side comparison of SparkPS with Spark MLlib and deeplearning4j: {@link
 * io.sparkps.bench.compare.CompareMain} prepares each dataset once and starts one JVM per trainer
 * ({@link io.sparkps.bench.compare.TrainerMain}, or DL4J's in {@code bench/dl4j}); each writes a
 * {@link io.sparkps.bench.compare.TrainerResult}; {@link io.sparkps.bench.compare.Report} turns
 * them into a Markdown table, a CSV and plots. The sparse comparison (issue 14) prepares ctr-N
 * and a9a as {@link io.sparkps.bench.compare.SparseRows} in {@link
 * io.sparkps.bench.compare.CsrFile}s ({@link io.sparkps.bench.compare.SparseBenchData}, hashed
 * once by {@link io.sparkps.bench.compare.CtrHashing} as MLlib's FeatureHasher does) and runs
 * its trainers from {@link io.sparkps.bench.compare.SparseTrainers}; {@link
 * io.sparkps.bench.compare.SparseTargets} checks its targets.
 */
package io.sparkps.bench.compare;
