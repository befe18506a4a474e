/**
 * Update rules and learning-rate schedules: how a mean gradient becomes new parameters.
 *
 * <p>This is the third of the three separate pieces of training (loss, parameters, update rule):
 * an {@link io.sparkps.core.optim.Optimizer} is a record of hyper-parameters with a pure {@code
 * step}; everything it carries between updates lives in an {@link
 * io.sparkps.core.optim.OptimizerState} the caller owns, so a parameter-server shard can apply
 * updates to its own range, checkpoint the state and restore it. The same code runs in the
 * parameter server and in the single-process reference trainer.
 *
 * <p>Per update {@code t = 1, 2, ...} the owner of the parameters optionally clips the mean
 * gradient with {@link io.sparkps.core.optim.GradientClipping#clipByNorm}, then calls {@code
 * optimizer.step(params, gradient, state, t)}, which asks the {@link
 * io.sparkps.core.optim.LearningRateSchedule} for the rate of update {@code t}.
 *
 * <p>Rules: {@link io.sparkps.core.optim.Sgd}, {@link io.sparkps.core.optim.Momentum}, {@link
 * io.sparkps.core.optim.Nesterov}, {@link io.sparkps.core.optim.AdaGrad}, {@link
 * io.sparkps.core.optim.RmsProp}, {@link io.sparkps.core.optim.Adam}, {@link
 * io.sparkps.core.optim.AdamW}; each class cites its paper and states its formula. All are
 * Jackson-serializable by type name, and {@link io.sparkps.core.optim.Optimizers#parse} builds
 * one from its name with PyTorch's defaults.
 */
package io.sparkps.core.optim;
