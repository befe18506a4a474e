package io.sparkps.core.train;

import io.sparkps.core.data.Block;
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
  /** Local optimizer steps of the run before this epoch. */
  private final long stepsBefore;
  /** Gathered minibatch rows for {@link #round(float[], Block, int[], int, float[])}. */
  private float[] batchFeatures = new float[0];
  private float[] batchLabels = new float[0];
  private Block source;
  private int[] order;

  /**
   * A worker for {@code partition} in epoch {@code epoch} (1-based). With local steps, the
   * worker's optimizer numbers its steps from the start of the run, so a learning-rate schedule
   * runs once over all epochs instead of restarting with each one; a step's number follows from
   * its round, so a worker may start at any round of the epoch (a part of a checked epoch).
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
    this.stepsBefore = (long) (epoch - 1) * plan.stepsPerEpoch();
  }

  /** The seed of a partition's shuffle in an epoch; partition 0 uses the job's epoch seed. */
  public static long shuffleSeed(long seed, int epoch, int partition) {
    return Shuffle.epochSeed(seed ^ (0x9E3779B97F4A7C15L * partition), epoch);
  }

  /** The partition's rows in the order of {@code epoch} (1-based). */
  @SuppressWarnings("unchecked") // select returns the block's own kind
  public static <B extends Block> B shuffle(B block, long seed, int epoch, int partition) {
    return (B) block.select(order(block.rows(), seed, epoch, partition));
  }

  /**
   * The row order of a partition in {@code epoch}: the permutation {@link #shuffle} applies. A
   * block of {@code rows} is shuffled in runs of {@link #shuffleRun}{@code (rows)} consecutive
   * rows, which a minibatch then reads as contiguous memory (gathering single rows at random from
   * a block larger than the caches costs a memory latency per row, more than the logistic
   * gradient of the row itself). The loaders shuffle each training block's rows once when they
   * build it ({@link #preShuffle}), so a run is a random sample of rows, not neighbours in the
   * input file.
   */
  public static int[] order(int rows, long seed, int epoch, int partition) {
    return Shuffle.chunkedPermutation(rows, shuffleRun(rows),
        shuffleSeed(seed, epoch, partition));
  }

  /**
   * Rows that an epoch's shuffle keeps together: 1 (a full row shuffle) below 8192 rows, then
   * growing with the block to at most {@value #MAX_SHUFFLE_RUN}, so a block always has at least
   * 4096 runs to shuffle.
   */
  public static int shuffleRun(int rows) {
    return Math.max(1, Math.min(MAX_SHUFFLE_RUN, rows / 4096));
  }

  /** The longest run of consecutive rows an epoch's shuffle keeps together. */
  public static final int MAX_SHUFFLE_RUN = 16;

  /**
   * A training block's rows in a seeded random order, once, when a loader builds the block: the
   * epochs then shuffle runs of neighbouring rows ({@link #order}), which are already random.
   */
  @SuppressWarnings("unchecked") // select returns the block's own kind
  public static <B extends Block> B preShuffle(B block, long seed, int partition) {
    return shuffleRun(block.rows()) == 1 ? block
        : (B) block.select(Shuffle.permutation(block.rows(), shuffleSeed(seed, 0, partition)));
  }

  /**
   * Computes round {@code round} (0-based within the epoch) from {@code params} over the shuffled
   * rows and writes the gradient (one local step) or the parameter delta to {@code payload}.
   */
  public Contribution round(float[] params, Block shuffled, int round, float[] payload) {
    this.source = shuffled;
    this.order = null;
    return compute(params, round, payload);
  }

  /**
   * As {@link #round(float[], Block, int, float[])} over {@code block} taken in
   * {@code order} (from {@link #order}), without a shuffled copy of the whole block: each
   * minibatch's rows are gathered into a buffer of one minibatch. The minibatches and their
   * row order are those of the shuffled copy, so the results are identical.
   */
  public Contribution round(float[] params, Block block, int[] order, int round,
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
  private record Rows(Block block, int from, int to) {
  }

  /**
   * Rows {@code [from, to)} of the epoch's order: that range of the shuffled block, or the
   * whole of a gathered copy.
   */
  private Rows batch(int from, int to) {
    if (order == null) {
      return new Rows(source, from, to);
    }
    if (!(source instanceof ExampleBlock dense)) {
      return sparseBatch(from, to);
    }
    int n = to - from;
    int c = dense.cols();
    if (batchLabels.length < n) {
      batchFeatures = new float[n * c];
      batchLabels = new float[n];
    }
    float[] f = dense.features();
    float[] y = dense.labels();
    int i = 0;
    while (i < n) {
      // copy each run of consecutive rows (see order) in one piece
      int r = order[from + i];
      int len = 1;
      while (i + len < n && order[from + i + len] == r + len) {
        len++;
      }
      if (len == n) {
        return new Rows(source, r, r + n); // the whole minibatch is one run: no copy
      }
      System.arraycopy(f, r * c, batchFeatures, i * c, len * c);
      System.arraycopy(y, r, batchLabels, i, len);
      i += len;
    }
    return new Rows(new ExampleBlock(n, c, batchFeatures, batchLabels), 0, n);
  }

  /**
   * Rows {@code [from, to)} of the epoch's order from a sparse block: the block's own range when
   * the minibatch is one run of consecutive rows, else a gathered copy of its rows (O(nnz)).
   */
  private Rows sparseBatch(int from, int to) {
    int n = to - from;
    int first = order[from];
    boolean run = true;
    for (int i = 1; i < n && run; i++) {
      run = order[from + i] == first + i;
    }
    if (run) {
      return new Rows(source, first, first + n);
    }
    return new Rows(source.select(java.util.Arrays.copyOfRange(order, from, to)), 0, n);
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
      config.optimizer().step(local, grad, localState, stepsBefore + step + 1);
      examples += to - from;
      lossSum += value * (to - from);
    }
    for (int i = 0; i < params.length; i++) {
      payload[i] = local[i] - params[i];
    }
    return new Contribution(examples, lossSum);
  }
}
