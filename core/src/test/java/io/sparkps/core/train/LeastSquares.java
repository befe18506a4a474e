package io.sparkps.core.train;

import io.sparkps.core.data.ExampleBlock;

/** Ordinary least squares with an intercept by the normal equations, in double: a test oracle. */
final class LeastSquares {
  private LeastSquares() {
  }

  /** Coefficients {@code [b0, b1..bd]} minimizing the squared error. */
  static double[] fit(ExampleBlock b) {
    int d = b.cols() + 1;
    double[][] a = new double[d][d + 1];
    double[] row = new double[d];
    for (int i = 0; i < b.rows(); i++) {
      row[0] = 1;
      for (int j = 1; j < d; j++) {
        row[j] = b.feature(i, j - 1);
      }
      for (int p = 0; p < d; p++) {
        for (int q = 0; q < d; q++) {
          a[p][q] += row[p] * row[q];
        }
        a[p][d] += row[p] * b.labels()[i];
      }
    }
    return solve(a);
  }

  /** Gauss-Jordan elimination with partial pivoting on an augmented matrix. */
  private static double[] solve(double[][] a) {
    int n = a.length;
    for (int c = 0; c < n; c++) {
      int piv = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
          piv = r;
        }
      }
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c] / a[c][c];
          for (int k = c; k <= n; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a[i][n] / a[i][i];
    }
    return x;
  }

  static double[] predict(double[] coef, ExampleBlock b) {
    double[] out = new double[b.rows()];
    for (int i = 0; i < b.rows(); i++) {
      double s = coef[0];
      for (int j = 1; j < coef.length; j++) {
        s += coef[j] * b.feature(i, j - 1);
      }
      out[i] = s;
    }
    return out;
  }
}
