/** JMH benchmarks of SparkPS's kernels; built with the {@code bench} profile only. */
package io.sparkps.bench;
