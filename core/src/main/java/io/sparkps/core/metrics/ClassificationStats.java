package io.sparkps.core.metrics;

import java.io.Serializable;
import java.util.OptionalDouble;

/**
 * Mergeable accumulator of classification metrics: count, correct predictions, log-loss sum, the
 * confusion matrix and, for binary classification, a histogram of P(y=1) per class for AUC.
 * {@link #add} and {@link #merge} change this object and return it, as Spark's
 * {@code treeAggregate} expects of its sequence and combine operations; start each partition
 * from {@link #binary()} or {@link #multiclass(int)}.
 *
 * <p>AUC from the histogram is approximate: the {@value #AUC_BINS} equal bins over [0, 1] are
 * read as thresholds of the ROC curve, integrated with the trapezoid rule (the same as counting
 * pairs of a positive and a negative in one bin as half a win). The error is at most half the
 * share of positive-negative pairs that fall into one bin: about {@code 1 / (2 * 4096) = 1.2e-4}
 * for scores spread over [0, 1], and within 1e-3 unless the scores crowd into a few bins. Use
 * {@link Metrics#auc} for the exact value on data that fits in memory.
 */
public final class ClassificationStats implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Number of equal-width bins of the binary score histogram. */
  public static final int AUC_BINS = 1 << 12;

  private final int classes;
  private final boolean binary;
  private long count;
  private long correct;
  private double logLossSum;
  private final long[] confusion;
  private final long[] positiveBins;
  private final long[] negativeBins;

  private ClassificationStats(int classes, boolean binary) {
    Labels.checkClasses(classes);
    this.classes = classes;
    this.binary = binary;
    this.confusion = new long[classes * classes];
    this.positiveBins = new long[binary ? AUC_BINS : 0];
    this.negativeBins = new long[binary ? AUC_BINS : 0];
  }

  /** For a model with one output, P(y=1); labels are 0 or 1. Tracks AUC. */
  public static ClassificationStats binary() {
    return new ClassificationStats(2, true);
  }

  /** For a model with {@code classes} softmax outputs; labels are class indices. No AUC. */
  public static ClassificationStats multiclass(int classes) {
    return new ClassificationStats(classes, false);
  }

  /** How many probabilities {@link #add(float, float[], int)} reads per example. */
  public int outputs() {
    return binary ? 1 : classes;
  }

  public int classes() {
    return classes;
  }

  public long count() {
    return count;
  }

  /** Folds in one binary example: its 0/1 label and its P(y=1). */
  public ClassificationStats add(float label, float probOne) {
    if (!binary) {
      throw new IllegalStateException("this accumulator is for " + classes + " classes and reads "
          + classes + " probabilities per example; call add(label, probabilities, offset)");
    }
    int y = Labels.binary(label, count);
    double p = Labels.probability(probOne, count);
    int predicted = p >= 0.5 ? 1 : 0;
    double clipped = Metrics.clip(p);
    record(y, predicted, y == 1 ? -Math.log(clipped) : -Math.log(1 - clipped));
    int bin = Math.min((int) (p * AUC_BINS), AUC_BINS - 1);
    (y == 1 ? positiveBins : negativeBins)[bin]++;
    return this;
  }

  /** Folds in one example whose {@link #outputs()} probabilities start at {@code off}. */
  public ClassificationStats add(float label, float[] probabilities, int off) {
    if (binary) {
      return add(label, probabilities[off]);
    }
    int y = Labels.classIndex(label, classes, count);
    double p = Labels.probability(probabilities[off + y], count);
    record(y, Metrics.argmax(probabilities, off, classes), -Math.log(Metrics.clip(p)));
    return this;
  }

  /** Folds in {@code labels.length} examples from a row-major matrix of probabilities. */
  public ClassificationStats addAll(float[] labels, float[] probabilities) {
    int k = outputs();
    if ((long) labels.length * k != probabilities.length) {
      throw new IllegalArgumentException("got " + labels.length + " labels and "
          + probabilities.length + " probabilities; expected " + k + " probabilities per label");
    }
    for (int i = 0; i < labels.length; i++) {
      add(labels[i], probabilities, i * k);
    }
    return this;
  }

  private void record(int y, int predicted, double loss) {
    count++;
    if (y == predicted) {
      correct++;
    }
    logLossSum += loss;
    confusion[y * classes + predicted]++;
  }

  /** Folds in {@code other}, which is left unchanged; both must be for the same classes. */
  public ClassificationStats merge(ClassificationStats other) {
    if (other.classes != classes || other.binary != binary) {
      throw new IllegalArgumentException("cannot merge statistics of " + other.describe()
          + " into statistics of " + describe() + "; build both with the same factory");
    }
    count += other.count;
    correct += other.correct;
    logLossSum += other.logLossSum;
    addInto(confusion, other.confusion);
    addInto(positiveBins, other.positiveBins);
    addInto(negativeBins, other.negativeBins);
    return this;
  }

  private static void addInto(long[] target, long[] source) {
    for (int i = 0; i < target.length; i++) {
      target[i] += source[i];
    }
  }

  private String describe() {
    return binary ? "a binary classifier" : "a " + classes + "-class classifier";
  }

  /** The metrics of everything added and merged so far. */
  public ClassificationMetrics result() {
    if (count == 0) {
      throw new IllegalStateException("no examples were added, so there are no classification "
          + "metrics; evaluate on a non-empty dataset");
    }
    long[][] matrix = new long[classes][classes];
    for (int t = 0; t < classes; t++) {
      System.arraycopy(confusion, t * classes, matrix[t], 0, classes);
    }
    OptionalDouble auc = binary ? OptionalDouble.of(histogramAuc()) : OptionalDouble.empty();
    return new ClassificationMetrics(count, classes, (double) correct / count, logLossSum / count,
        auc, matrix);
  }

  /** Trapezoid AUC over the histogram thresholds; NaN when one class is missing. */
  private double histogramAuc() {
    double wins = 0;
    long positivesAbove = 0;
    long negatives = 0;
    for (int b = AUC_BINS - 1; b >= 0; b--) {
      wins += negativeBins[b] * (positivesAbove + 0.5 * positiveBins[b]);
      positivesAbove += positiveBins[b];
      negatives += negativeBins[b];
    }
    if (positivesAbove == 0 || negatives == 0) {
      return Double.NaN;
    }
    return wins / ((double) positivesAbove * negatives);
  }
}
