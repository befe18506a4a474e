/**
 * SparkPS core: the math that workers and the parameter server share. No Spark, no networking.
 */
package io.sparkps.core;
