package io.sparkps.core.train;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.Objective;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.optim.GradientClipping;
import io.sparkps.core.optim.OptimizerState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one partition computes in one round of a keyed job: {@link PartitionWorker}'s round over
 * a {@link CompactBatch} of only the keys the round's minibatches touch. {@link #prepare} takes
 * the round's minibatches (the same rows in the same order as {@code PartitionWorker}) and gives
 * the keys to pull; {@link #compute} turns the pulled rows and tail into the mean gradient (one
 * local step) or the delta after K local optimizer steps, all over {@code u x width + tail}
 * floats, so a worker's memory never depends on the model's key count.
 *
 * <p>With K local steps the local optimizer's state covers one round's compact vector and starts
 * afresh each round (the dense path keeps it for the epoch over the whole vector: that cannot be
 * held when the model is larger than a worker). Plain SGD, which has no state, computes the
 * dense path's deltas exactly.
 */
public final class KeyedPartitionWorker {
  private final SparseModel model;
  private final TrainingConfig config;
  private final EpochPlan plan;
  private final int partition;
  private final long stepsBefore;

  /** A worker for {@code partition} in epoch {@code epoch} (1-based), as PartitionWorker's. */
  public KeyedPartitionWorker(SparseModel model, TrainingConfig config, EpochPlan plan,
      int partition, int epoch) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epochs are numbered from 1, got " + epoch);
    }
    this.model = model;
    this.config = config;
    this.plan = plan;
    this.partition = partition;
    this.stepsBefore = (long) (epoch - 1) * plan.stepsPerEpoch();
  }

  /**
   * The compact batch of round {@code round} (0-based within the epoch) of {@code block} taken
   * in {@code order} ({@link PartitionWorker#order}): its minibatches' rows, gathered.
   */
  public CompactBatch prepare(Block block, int[] order, int round) {
    SparseBlock sparse = SparseModel.sparse(block, model.keys(), model.spec().name());
    int k = config.localSteps();
    List<SparseBlock> blocks = new ArrayList<>(k);
    for (int s = 0; s < k; s++) {
      int step = round * k + s;
      int from = plan.from(partition, step);
      int to = plan.to(partition, step);
      if (from < to) {
        blocks.add(sparse.select(Arrays.copyOfRange(order, from, to)));
      }
    }
    int[] f = new int[blocks.size()];
    int[] t = new int[blocks.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = blocks.get(i).rows();
    }
    return CompactBatch.of(model, blocks, f, t);
  }

  /**
   * Writes the round's payload over {@code params} (the compact vector of the pulled rows and
   * tail, {@link CompactBatch#assemble}) into {@code payload} of the same length: the clipped
   * mean gradient with one local step, else the parameter delta after the round's steps.
   */
  public PartitionWorker.Contribution compute(CompactBatch batch, float[] params, int round,
      float[] payload) {
    Model m = batch.model();
    Objective objective = new Objective(m, config.regularizer());
    int maxRows = 1;
    for (SparseBlock b : batch.blocks()) {
      maxRows = Math.max(maxRows, b.rows());
    }
    Model.Workspace ws = m.newWorkspace(maxRows);
    if (batch.blocks().isEmpty()) {
      Arrays.fill(payload, 0f);
      return new PartitionWorker.Contribution(0, 0);
    }
    if (config.localSteps() == 1) {
      SparseBlock b = batch.blocks().get(0);
      double value = objective.valueAndGradient(params, b, 0, b.rows(), payload, ws);
      GradientClipping.clipByNorm(payload, config.clipNorm());
      return new PartitionWorker.Contribution(b.rows(), value * b.rows());
    }
    float[] local = params.clone();
    OptimizerState state = config.optimizer().newState(local.length);
    int examples = 0;
    double lossSum = 0;
    int s = 0;
    for (SparseBlock b : batch.blocks()) {
      double value = objective.valueAndGradient(local, b, 0, b.rows(), payload, ws);
      GradientClipping.clipByNorm(payload, config.clipNorm());
      // step numbers as PartitionWorker's; an empty minibatch of a round was left out
      config.optimizer().step(local, payload, state, stepsBefore
          + (long) round * config.localSteps() + s + 1);
      examples += b.rows();
      lossSum += value * b.rows();
      s++;
    }
    for (int i = 0; i < local.length; i++) {
      payload[i] = local[i] - params[i];
    }
    return new PartitionWorker.Contribution(examples, lossSum);
  }
}
