package io.sparkps.driver.data;

import io.sparkps.core.data.LibSvmRow;
import java.io.Serializable;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * What reading a dataset learns about it, as a mergeable aggregate: rows per split, bad rows
 * left out, the feature width, per-feature sums and sums of squares of the training rows (for the
 * standardizer) and, for a classifier being trained, the distinct labels (at most
 * {@value #MAX_DISTINCT_LABELS}). {@link #merge} changes this object and returns it, as
 * {@code treeAggregate} expects. Nothing in it grows with the number of rows.
 */
final class DataSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  /** More distinct labels than this means the label column is not a class column. */
  static final int MAX_DISTINCT_LABELS = 10_000;

  private long trainRows;
  private long validationRows;
  private long skippedRows;
  private int width;
  private double[] sum = new double[0];
  private double[] sumSq = new double[0];
  private TreeSet<String> labels = new TreeSet<>();
  private boolean tooManyLabels;
  private String firstSkipped = "";

  long trainRows() {
    return trainRows;
  }

  long validationRows() {
    return validationRows;
  }

  long skippedRows() {
    return skippedRows;
  }

  /** The widest row seen: the column count, or a LibSVM row's largest index. */
  int width() {
    return width;
  }

  TreeSet<String> labels() {
    return labels;
  }

  boolean tooManyLabels() {
    return tooManyLabels;
  }

  /** The first bad row's error, or empty when none was skipped. */
  String firstSkipped() {
    return firstSkipped;
  }

  /** Per-feature sums over the training rows, {@code width} long. */
  double[] sum(int features) {
    return Arrays.copyOf(sum, features);
  }

  double[] sumSq(int features) {
    return Arrays.copyOf(sumSq, features);
  }

  void addDense(float[] x, boolean validation, boolean moments) {
    width = Math.max(width, x.length);
    if (validation) {
      validationRows++;
      return;
    }
    trainRows++;
    if (moments) {
      grow(x.length);
      for (int j = 0; j < x.length; j++) {
        double v = x[j];
        sum[j] += v;
        sumSq[j] += v * v;
      }
    }
  }

  void addSparse(LibSvmRow row, boolean validation, boolean moments) {
    width = Math.max(width, row.maxIndex());
    if (validation) {
      validationRows++;
      return;
    }
    trainRows++;
    if (moments) {
      grow(row.maxIndex());
      int[] idx = row.indices();
      float[] val = row.values();
      for (int i = 0; i < idx.length; i++) {
        double v = val[i];
        sum[idx[i] - 1] += v;
        sumSq[idx[i] - 1] += v * v;
      }
    }
  }

  /** A row counted only by its width (a sparse row, whose features are not standardized). */
  void addWidth(int rowWidth, boolean validation) {
    width = Math.max(width, rowWidth);
    if (validation) {
      validationRows++;
    } else {
      trainRows++;
    }
  }

  void addLabel(String label) {
    if (!tooManyLabels && labels.add(label) && labels.size() > MAX_DISTINCT_LABELS) {
      tooManyLabels = true;
      labels.clear();
    }
  }

  void skip(String problem) {
    if (skippedRows++ == 0) {
      firstSkipped = problem;
    }
  }

  DataSummary merge(DataSummary o) {
    trainRows += o.trainRows;
    validationRows += o.validationRows;
    if (skippedRows == 0) {
      firstSkipped = o.firstSkipped;
    }
    skippedRows += o.skippedRows;
    width = Math.max(width, o.width);
    grow(o.sum.length);
    for (int j = 0; j < o.sum.length; j++) {
      sum[j] += o.sum[j];
      sumSq[j] += o.sumSq[j];
    }
    tooManyLabels |= o.tooManyLabels;
    if (!tooManyLabels) {
      o.labels.forEach(this::addLabel);
    } else {
      labels.clear();
    }
    return this;
  }

  private void grow(int n) {
    if (sum.length < n) {
      sum = Arrays.copyOf(sum, n);
      sumSq = Arrays.copyOf(sumSq, n);
    }
  }
}
