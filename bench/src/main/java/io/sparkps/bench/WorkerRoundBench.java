package io.sparkps.bench;

import io.sparkps.core.compute.ComputeBackends;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SynthData;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.Task;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.PartitionWorker;
import io.sparkps.core.train.TrainingConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A worker's compute for one round, exactly as a Spark task runs it but without Spark or the
 * parameter server: {@link PartitionWorker#round} over the benchmark's perceptron
 * (28-64-64-1, Adam, minibatches of 128, 8 local steps, the Vector API backend), gathering its
 * minibatches from a pre-shuffled block of its own. Run with one thread and with two
 * ({@link ScalingReport}), it measures how far this machine's cores let the compute of two
 * workers scale, the ceiling of the end-to-end scaling figure of {@code bench/compare}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class WorkerRoundBench {
  /** Rows of one round: 8 local steps of 128. */
  public static final int ROWS_PER_ROUND = 8 * 128;

  /** Rows of each thread's block (a worker's half of synth-1M's 800k training rows). */
  @Param({"400000"})
  public int rows;

  private PartitionWorker worker;
  private ExampleBlock block;
  private int[] order;
  private EpochPlan plan;
  private float[] params;
  private float[] payload;
  private int round;

  @Setup(Level.Trial)
  public void setUp() {
    Model model = ModelSpec.mlp(SynthData.FEATURES, List.of(64, 64), Activation.RELU,
        Task.BINARY, 2, new Loss.SquaredError()).build(ComputeBackends.byName("vector"));
    plan = EpochPlan.of(new int[] {rows}, 128, 8);
    TrainingConfig config = new TrainingConfig(2, 128, Adam.of(0.003), Regularizer.NONE, 0, 42,
        0, 0, 8);
    params = new float[model.parameterCount()];
    model.initialize(params, 3);
    payload = new float[params.length];
    // each thread its own data, as each Spark task has its own block
    block = PartitionWorker.preShuffle(SynthData.block(rows), 42, 0);
    order = PartitionWorker.order(rows, 42, 1, 0);
    worker = new PartitionWorker(model, config, plan, 0, 1);
  }

  /** One round: 8 minibatches of 128 rows, the local Adam steps and the delta. */
  @Benchmark
  public float[] round() {
    worker.round(params, block, order, round, payload);
    round = (round + 1) % plan.rounds();
    return payload;
  }
}
