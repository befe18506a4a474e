/**
 * Distributed training on Spark: the runtime settings of a run, the parameter server it talks
 * to, and the {@link io.sparkps.driver.train.DistributedTrainer} that runs one barrier stage per
 * epoch.
 */
package io.sparkps.driver.train;
