package io.sparkps.bench;

import io.sparkps.core.compute.ComputeBackend;
import io.sparkps.core.compute.ComputeBackends;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SynthData;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the core kernels on one core, over synth data: the logistic gradient and
 * the 28-64-64-1 perceptron's forward and backward pass, at minibatches of 128 and 1024 rows,
 * with plain loops ({@code cpu}) and the Vector API ({@code vector}).
 * Throughput is in minibatches per second; {@link KernelReport} turns it into rows per second
 * and GFLOP/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
public class KernelBench {
  /** Floating-point operations per row of one logistic gradient (28 multiply-adds twice). */
  public static final double LOGISTIC_FLOPS_PER_ROW = 2.0 * 2 * 28;
  /**
   * Per row of one perceptron step: the forward multiplies and the weight gradients
   * ({@code 2 * (28*64 + 64*64 + 64*1)} each) and the deltas of the two hidden layers
   * ({@code 2 * (64*64 + 64*1)}).
   */
  public static final double MLP_FLOPS_PER_ROW = 2.0 * 2 * (28 * 64 + 64 * 64 + 64)
      + 2.0 * (64 * 64 + 64);

  @Param({"128", "1024"})
  public int batch;

  @Param({"cpu", "vector"})
  public String backend;

  private ExampleBlock data;
  private Model logistic;
  private Model mlp;
  private float[] logisticParams;
  private float[] mlpParams;
  private float[] logisticGrad;
  private float[] mlpGrad;
  private Model.Workspace logisticWs;
  private Model.Workspace mlpWs;
  private int offset;

  @Setup(Level.Trial)
  public void setUp() {
    data = SynthData.block(65_536);
    ComputeBackend b = ComputeBackends.byName(backend);
    logistic = ModelSpec.logistic(SynthData.FEATURES).build(b);
    mlp = ModelSpec.mlp(SynthData.FEATURES, List.of(64, 64), Activation.RELU, Task.BINARY, 2,
        new Loss.SquaredError()).build(b);
    logisticParams = new float[logistic.parameterCount()];
    mlpParams = new float[mlp.parameterCount()];
    mlp.initialize(mlpParams, 1);
    logisticGrad = new float[logisticParams.length];
    mlpGrad = new float[mlpParams.length];
    logisticWs = logistic.newWorkspace(batch);
    mlpWs = mlp.newWorkspace(batch);
  }

  private int nextOffset() {
    offset += batch;
    if (offset + batch > data.rows()) {
      offset = 0;
    }
    return offset;
  }

  @Benchmark
  public double logisticGradient() {
    int from = nextOffset();
    return logistic.lossAndGradient(logisticParams, data, from, from + batch, logisticGrad,
        logisticWs);
  }

  @Benchmark
  public double perceptronStep() {
    int from = nextOffset();
    return mlp.lossAndGradient(mlpParams, data, from, from + batch, mlpGrad, mlpWs);
  }
}
