/** Batch prediction with a saved model over Spark DataFrames. */
package io.sparkps.driver.predict;
