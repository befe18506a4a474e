/**
 * The side-by-side comparison of SparkPS with Spark MLlib and deeplearning4j: {@link
 * io.sparkps.bench.compare.CompareMain} prepares each dataset once and starts one JVM per trainer
 * ({@link io.sparkps.bench.compare.TrainerMain}, or DL4J's in {@code bench/dl4j}); each writes a
 * {@link io.sparkps.bench.compare.TrainerResult}; {@link io.sparkps.bench.compare.Report} turns
 * them into a Markdown table, a CSV and plots.
 */
package io.sparkps.bench.compare;
