/**
 * What runs inside a Spark executor: one {@link io.sparkps.worker.EpochTask} per partition and
 * epoch, pulling parameters from and pushing gradients to the parameter server, with the math
 * from {@code core}; {@link io.sparkps.worker.BarrierEpoch} is the few lines of Spark glue.
 */
package io.sparkps.worker;
