/**
 * The SparkPS driver: the {@code sparkps} command line and, with Spark, the orchestration of
 * training runs.
 */
package io.sparkps.driver;
