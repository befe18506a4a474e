/**
 * Training in one process: the algorithm settings of a run ({@link
 * io.sparkps.core.train.TrainingConfig}) and the {@link io.sparkps.core.train.ReferenceTrainer}
 * that the distributed trainer is checked against.
 */
package io.sparkps.core.train;
