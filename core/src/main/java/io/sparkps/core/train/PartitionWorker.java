package io.sparkps.core.train;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Shuffle;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.Objective;
import io.sparkps.core.optim.GradientClipping;
import io.sparkps.core.optim.OptimizerState;

/**
 * What one partition computes in one round, given the global parameters of that round: with one
 * local step, the clipped mean gradient of its next minibatch; with {@code K} local steps, the
 * parameter delta after {@code K} optimizer steps of its own (local SGD / parameter averaging,
 * McMahan et al., 2017). The reference trainer and the Spark worker both run this class, so the
 * distributed result can be checked against the single-process one.
 *
 * <p>Lifecycle: one instance per partition and epoch; {@link #shuffle} the partition's rows for the
 * epoch, then call {@link #round} for rounds {@code 0..plan.rounds()-1} in order. Local optimizer
 * state lives for the epoch.
 */
public final class PartitionWorker {

  /** What a partition contributes to a round: its example count and the sum of its losses. */
  public record Contribution(int examples, double lossSum) {
  }

  private final Model model;
  private final Objective objective;
  private final TrainingConfig config;
  private final EpochPlan plan;
  private final int partition;
  private final float[] grad;
  private final float[] local;
  private final Model.Workspace ws;
  private OptimizerState localState;
  private long localStep;
  /** Gathered minibatch rows for {@link #round(float[], ExampleBlock, int[], int, float[])}. */
  private float[] batchFeatures = new float[0];
  private float[] batchLabels = new float[0];
  private ExampleBlock source;
  private int[] order;

  /**
   * A worker for {@code partition} in epoch {@code epoch} (1-based). With local steps, the
   * worker's optimizer numbers its steps from the start of the run, so a learning-rate schedule
   * runs once over all epochs instead of restarting with each one.
   */
  public PartitionWorker(Model model, TrainingConfig config, EpochPlan plan, int partition,
      int epoch) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epochs are numbered from 1, got " + epoch);
    }
    this.model = model;
    this.objective = new Objective(model, config.regularizer());
    this.config = config;
    this.plan = plan;
    this.partition = partition;
    this.grad = new float[model.parameterCount()];
    this.local = config.localSteps() > 1 ? new float[model.parameterCount()] : new float[0];
    int maxRows = 1;
    for (int s = 0; s < plan.stepsPerEpoch(); s++) {
      maxRows = Math.max(maxRows, plan.to(partition, s) - plan.from(partition, s));
    }
    this.ws = model.newWorkspace(maxRows);
    this.localStep = (long) (epoch - 1) * plan.stepsPerEpoch();
  }

  /** The seed of a partition's shuffle in an epoch; partition 0 uses the job's epoch seed. */
  public static long shuffleSeed(long seed, int epoch, int partition) {
    return Shuffle.epochSeed(seed ^ (0x9E3779B97F4A7C15L * partition), epoch);
  }

  /** The partition's rows in the order of {@code epoch} (1-based). */
  public static ExampleBlock shuffle(ExampleBlock block, long seed, int epoch, int partition) {
    return block.select(Shuffle.permutation(block.rows(), shuffleSeed(seed, epoch, partition)));
  }

  /** The row order of a partition in {@code epoch}: the permutation {@link #shuffle} applies. */
  public static int[] order(int rows, long seed, int epoch, int partition) {
    return Shuffle.permutation(rows, shuffleSeed(seed, epoch, partition));
  }

  /**
   * Computes round {@code round} (0-based within the epoch) from {@code params} over the shuffled
   * rows and writes the gradient (one local step) or the parameter delta to {@code payload}.
   */
  public Contribution round(float[] params, ExampleBlock shuffled, int round, float[] payload) {
    this.source = shuffled;
    this.order = null;
    return compute(params, round, payload);
  }

  /**
   * As {@link #round(float[], ExampleBlock, int, float[])} over {@code block} taken in
   * {@code order} (from {@link #order}), without a shuffled copy of the whole block: each
   * minibatch's rows are gathered into a buffer of one minibatch. The minibatches and their
   * row order are those of the shuffled copy, so the results are identical.
   */
  public Contribution round(float[] params, ExampleBlock block, int[] order, int round,
      float[] payload) {
    if (order.length != block.rows()) {
      throw new IllegalArgumentException("the row order has " + order.length + " entries for a "
          + "block of " + block.rows() + " rows");
    }
    this.source = block;
    this.order = order;
    return compute(params, round, payload);
  }

  private Contribution compute(float[] params, int round, float[] payload) {
    if (config.localSteps() == 1) {
      int from = plan.from(partition, round);
      int to = plan.to(partition, round);
      if (from == to) {
        java.util.Arrays.fill(payload, 0f);
        return new Contribution(0, 0);
      }
      Rows b = batch(from, to);
      double value = objective.valueAndGradient(params, b.block(), b.from(), b.to(), payload, ws);
      GradientClipping.clipByNorm(payload, config.clipNorm());
      return new Contribution(to - from, value * (to - from));
    }
    return localSteps(params, round, payload);
  }

  /** Rows {@code [from, to)} of a block. */
  private record Rows(ExampleBlock block, int from, int to) {
  }

  /**
   * Rows {@code [from, to)} of the epoch's order: that range of the shuffled block, or the
   * whole of a gathered copy.
   */
  private Rows batch(int from, int to) {
    if (order == null) {
      return new Rows(source, from, to);
    }
    int n = to - from;
    int c = source.cols();
    if (batchLabels.length < n) {
      batchFeatures = new float[n * c];
      batchLabels = new float[n];
    }
    float[] f = source.features();
    float[] y = source.labels();
    for (int i = 0; i < n; i++) {
      int r = order[from + i];
      System.arraycopy(f, r * c, batchFeatures, i * c, c);
      batchLabels[i] = y[r];
    }
    return new Rows(new ExampleBlock(n, c, batchFeatures, batchLabels), 0, n);
  }

  private Contribution localSteps(float[] params, int round, float[] payload) {
    if (localState == null) {
      localState = config.optimizer().newState(params.length);
    }
    System.arraycopy(params, 0, local, 0, params.length);
    int examples = 0;
    double lossSum = 0;
    for (int k = 0; k < config.localSteps(); k++) {
      int step = round * config.localSteps() + k;
      int from = plan.from(partition, step);
      int to = plan.to(partition, step);
      if (from == to) {
        continue;
      }
      Rows b = batch(from, to);
      double value = objective.valueAndGradient(local, b.block(), b.from(), b.to(), grad, ws);
      GradientClipping.clipByNorm(grad, config.clipNorm());
      config.optimizer().step(local, grad, localState, ++localStep);
      examples += to - from;
      lossSum += value * (to - from);
    }
    for (int i = 0; i < params.length; i++) {
      payload[i] = local[i] - params[i];
    }
    return new Contribution(examples, lossSum);
  }
}
