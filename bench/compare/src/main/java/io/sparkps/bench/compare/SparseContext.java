package io.sparkps.bench.compare;

import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * What a sparse trainer gets: the running session, the prepared sparse data, its held-out rows
 * (already in this JVM for evaluation), and the run's limits ({@link BenchContext}'s sparse twin).
 *
 * @param trainer the trainer's name
 * @param data the prepared sparse dataset
 * @param test the held-out rows
 * @param spark a {@code local[cores]} session
 * @param cores Spark cores
 * @param budgetSeconds training time after which an iterative trainer stops
 * @param factors factorization machines' factor size
 * @param regParam MLlib's L2 {@code regParam} of both sparse trainers
 * @param fmStepSize FMClassifier's {@code stepSize}
 * @param fmMaxIter FMClassifier's largest {@code maxIter} (its fits stop there)
 * @param seed seeds every trainer's initialization and shuffling
 * @param warmupRows rows of the untimed fits before the timed one; 0 for none
 * @param warmup how many untimed fits to make on those rows
 */
public record SparseContext(String trainer, SparseBenchData.Prepared data, SparseRows test,
    SparkSession spark, int cores, double budgetSeconds, int factors, double regParam,
    double fmStepSize, int fmMaxIter, long seed, int warmupRows,
    TrainerOptions.Warmup warmup) {

  /** Whether to warm up: with warm-up rows and fits. */
  public boolean warmsUp() {
    return warmupRows > 0 && warmup.fits() > 0;
  }

  /** A result with this context's dataset, sizes and the JVM's memory filled in. */
  public TrainerResult result(String model, String settings, double fitSeconds,
      long rowsProcessed, long rounds, Double bytesPerRound, List<TrainerResult.Point> points,
      String note) {
    return new TrainerResult(trainer, data.name(), model, settings, cores, data.trainRows(),
        data.testRows(), fitSeconds, rowsProcessed, rounds, bytesPerRound, points,
        MemoryProbe.peakRssBytes(), MemoryProbe.peakHeapBytes(), MemoryProbe.maxHeapBytes(),
        note, null);
  }
}
