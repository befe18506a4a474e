/**
 * deeplearning4j networks trained through SparkPS: {@link io.sparkps.dl4j.SparkPsTrainingMaster},
 * a drop-in {@code TrainingMaster} for {@code SparkDl4jMultiLayer} and
 * {@code SparkComputationGraph}, and the pieces it shares with the command line's
 * {@code --model dl4j}: the network seen as a flat parameter vector ({@link io.sparkps.dl4j.Dl4jNet}),
 * a partition's rows cached as plain float arrays ({@link io.sparkps.dl4j.NetBlock}), and one
 * epoch's barrier stage against the parameter server ({@link io.sparkps.dl4j.Dl4jTrainer},
 * {@link io.sparkps.dl4j.Dl4jEpochTask}).
 *
 * <p>This is the only module of SparkPS that depends on ND4J and deeplearning4j; core, the
 * parameter server, the worker and the driver never do.
 */
package io.sparkps.dl4j;
