package io.sparkps.bench.compare;

import io.sparkps.core.data.ExampleBlock;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * What a trainer gets: the running session, the prepared data, its held-out rows (already in
 * this JVM for evaluation), and the run's limits.
 *
 * @param trainer the trainer's name
 * @param data the prepared dataset
 * @param test the held-out rows
 * @param spark a {@code local[cores]} session
 * @param cores Spark cores
 * @param budgetSeconds training time after which an iterative trainer stops
 * @param hidden hidden layer widths of the perceptrons
 * @param seed seeds every trainer's initialization and shuffling
 * @param warmupRows rows of an untimed first fit that every trainer makes before the timed one
 *     (JIT compilation and library start-up then stay out of the timings); 0 for none
 * @param warmup how many untimed fits, each with the timed fit's settings, to make on those rows
 */
public record BenchContext(String trainer, BenchData.Prepared data, ExampleBlock test,
    SparkSession spark, int cores, double budgetSeconds, List<Integer> hidden,
    long seed, int warmupRows, TrainerOptions.Warmup warmup) {

  public BenchContext {
    hidden = List.copyOf(hidden);
  }

  /** Whether to warm up: with warm-up rows and fits. */
  public boolean warmsUp() {
    return warmupRows > 0 && warmup.fits() > 0;
  }

  /** {@code mlp 28-64-64-2} and the like: a softmax output of two classes. */
  public String mlpName() {
    return mlpName(2);
  }

  /** As {@link #mlpName()} with {@code outputs} outputs (1: one sigmoid unit). */
  public String mlpName(int outputs) {
    StringBuilder b = new StringBuilder("mlp ").append(data.features());
    hidden.forEach(h -> b.append('-').append(h));
    return b.append('-').append(outputs).toString();
  }

  /** A result with this context's dataset, sizes and the JVM's memory filled in. */
  public TrainerResult result(String model, String settings, double fitSeconds,
      long rowsProcessed, long rounds, Double bytesPerRound, List<TrainerResult.Point> points,
      String note) {
    return result(model, settings, fitSeconds, rowsProcessed, rounds, bytesPerRound, points,
        note, null);
  }

  /** As above, with the workers' compute time within the fit (see {@link TrainerResult}). */
  public TrainerResult result(String model, String settings, double fitSeconds,
      long rowsProcessed, long rounds, Double bytesPerRound, List<TrainerResult.Point> points,
      String note, Double computeSeconds) {
    return new TrainerResult(trainer, data.name(), model, settings, cores, data.trainRows(),
        data.testRows(), fitSeconds, rowsProcessed, rounds, bytesPerRound, points,
        MemoryProbe.peakRssBytes(), MemoryProbe.peakHeapBytes(), MemoryProbe.maxHeapBytes(),
        note, computeSeconds);
  }
}
