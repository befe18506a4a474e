package io.sparkps.bench.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What one trainer did on one dataset, as its JVM writes it for the report.
 *
 * @param trainer the trainer's name, e.g. {@code mllib-lr} or {@code sparkps-mlp}
 * @param dataset the dataset's name
 * @param model what was trained, e.g. {@code logistic} or {@code mlp 28-64-64-2}
 * @param settings the trainer's settings in a few words
 * @param cores Spark cores (local[N])
 * @param trainRows training rows
 * @param testRows held-out rows
 * @param fitSeconds training wall time, data cached and Spark up, held-out evaluation excluded
 * @param rowsProcessed training rows visited in that time (rows times epochs or iterations)
 * @param rounds synchronizations with the workers (iterations, averagings or rounds)
 * @param bytesPerRound bytes exchanged between workers and the model's owner per round; null
 *     when not known
 * @param points held-out metrics over training time
 * @param peakRssBytes the JVM's peak resident memory (VmHWM); 0 where not readable
 * @param peakHeapBytes the sum of the heap pools' peak usage
 * @param maxHeapBytes the heap limit the JVM ran with
 * @param note anything the reader should know (not converged, out of budget, estimates)
 * @param computeSeconds the workers' compute time within the fit: per epoch the slowest
 *     partition's minibatch steps, without set-up and waiting on the server (SparkPS trainers);
 *     null when not known
 */
public record TrainerResult(String trainer, String dataset, String model, String settings,
    int cores, long trainRows, long testRows, double fitSeconds, long rowsProcessed, long rounds,
    Double bytesPerRound, List<Point> points, long peakRssBytes, long peakHeapBytes,
    long maxHeapBytes, String note, Double computeSeconds) {

  /**
   * The held-out metrics after {@code step} (an epoch or iteration count) at {@code seconds} of
   * training time; {@code auc} is null where not measured (the dense comparison's trainers).
   */
  public record Point(double seconds, int step, double logLoss, double accuracy, Double auc) {
    @com.fasterxml.jackson.annotation.JsonCreator
    public Point {
    }

    /** A point without AUC. */
    public Point(double seconds, int step, double logLoss, double accuracy) {
      this(seconds, step, logLoss, accuracy, null);
    }

    /** The AUC, NaN where not measured. */
    public double aucOrNaN() {
      return auc == null ? Double.NaN : auc;
    }
  }

  public TrainerResult {
    points = List.copyOf(points);
  }

  /** This result under another name (a repeated run's label). */
  public TrainerResult withTrainer(String name) {
    return new TrainerResult(name, dataset, model, settings, cores, trainRows, testRows,
        fitSeconds, rowsProcessed, rounds, bytesPerRound, points, peakRssBytes, peakHeapBytes,
        maxHeapBytes, note, computeSeconds);
  }

  public Point last() {
    return points.isEmpty() ? new Point(fitSeconds, 0, Double.NaN, Double.NaN)
        : points.get(points.size() - 1);
  }

  /** Rows per second per Spark core over the whole fit. */
  public double rowsPerSecondPerCore() {
    return fitSeconds > 0 ? rowsProcessed / fitSeconds / cores : Double.NaN;
  }

  /** Training time at which held-out log loss first reached {@code target} or less; NaN if never. */
  public double secondsToLogLoss(double target) {
    for (Point p : points) {
      if (p.logLoss() <= target) {
        return p.seconds();
      }
    }
    return Double.NaN;
  }

  /** Training time at which held-out accuracy first reached {@code target}; NaN if never. */
  public double secondsToAccuracy(double target) {
    for (Point p : points) {
      if (p.accuracy() >= target) {
        return p.seconds();
      }
    }
    return Double.NaN;
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes this result as JSON, atomically. */
  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of " + file, e);
    }
    AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), this));
  }

  public static TrainerResult read(Path file) {
    try {
      return JSON.readValue(file.toFile(), TrainerResult.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trainer result " + file, e);
    }
  }
}
