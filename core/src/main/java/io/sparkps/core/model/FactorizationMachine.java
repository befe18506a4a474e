package io.sparkps.core.model;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.SparseBlock;

/**
 * A factorization machine of degree 2 (Rendle, "Factorization Machines", ICDM 2010):
 * <pre>
 *   y(x) = w0 + sum_j w_j x_j + sum_{j < l} &lt;v_j, v_l&gt; x_j x_l
 * </pre>
 * computed in O(K nnz) with Rendle's identity
 * {@code sum_{j<l} <v_j, v_l> x_j x_l = 1/2 sum_f [(sum_j v_jf x_j)^2 - sum_j v_jf^2 x_j^2]},
 * whose gradient is {@code dy/dw0 = 1}, {@code dy/dw_j = x_j} and
 * {@code dy/dv_jf = x_j (s_f - v_jf x_j)} with {@code s_f = sum_l v_lf x_l}.
 *
 * <p>Key {@code j}'s row is {@code [w_j, v_j1 .. v_jK]} at {@code j * (K + 1)}; {@code w0}
 * follows the last key. Initialization: zero linear weights and bias, latent factors drawn per
 * key from N(0, initScale^2) by {@link LazyPenalty#gaussian}, which depends only on the seed and
 * the key.
 */
public final class FactorizationMachine implements SparseModel {
  private final FmSpec spec;
  private final int factors;
  private final int width;

  FactorizationMachine(FmSpec spec) {
    this.spec = spec;
    this.factors = spec.factors();
    this.width = factors + 1;
  }

  @Override
  public FmSpec spec() {
    return spec;
  }

  @Override
  public int rowWidth() {
    return width;
  }

  @Override
  public int denseTail() {
    return 1;
  }

  @Override
  public int outputs() {
    return 1;
  }

  @Override
  public void initialize(float[] params, long seed) {
    SparseModel.checkLength(this, params);
    java.util.Arrays.fill(params, 0f);
    for (int j = 0; j < keys(); j++) {
      initializeRow(params, j * width, j, seed);
    }
  }

  /** Writes key {@code key}'s initial row at {@code off}: a zero weight and seeded factors. */
  @Override
  public void initializeRow(float[] row, int off, long key, long seed) {
    row[off] = 0f;
    for (int f = 0; f < factors; f++) {
      row[off + 1 + f] = (float) (spec.initScale() * LazyPenalty.gaussian(seed, key, f));
    }
  }

  @Override
  public void setOutputBias(float[] params, float value) {
    SparseModel.checkLength(this, params);
    params[keys() * width] = value;
  }

  @Override
  public Model.Workspace newWorkspace(int maxRows) {
    return new Workspace(keys(), factors);
  }

  @Override
  public double lossAndGradient(float[] params, Block block, int from, int to, float[] grad,
      Model.Workspace workspace) {
    Workspace ws = (Workspace) workspace;
    SparseBlock b = SparseModel.rows(this, params, block, from, to);
    ws.touched.clear();
    int bias = keys() * width;
    double sum = 0;
    for (int i = from; i < to; i++) {
      ws.z[0] = score(params, b, i, ws.s);
      sum += spec.loss().lossAndDelta(ws.z, 0, 1, b.labels()[i], ws.delta, 0);
      float d = ws.delta[0];
      grad[bias] += d;
      for (int e = b.rowStart()[i]; e < b.rowStart()[i + 1]; e++) {
        int j = b.indices()[e];
        float x = b.values()[e];
        int off = j * width;
        ws.touched.add(j);
        grad[off] += d * x;
        for (int f = 0; f < factors; f++) {
          grad[off + 1 + f] += d * x * (ws.s[f] - params[off + 1 + f] * x);
        }
      }
    }
    return sum;
  }

  @Override
  public double finishGradient(float[] params, float[] grad, float factor, Regularizer reg,
      Model.Workspace workspace) {
    int bias = keys() * width;
    return LazyPenalty.finishRows(params, grad, factor, reg, ((Workspace) workspace).touched,
        width, bias, bias + 1);
  }

  @Override
  public double loss(float[] params, Block block, int from, int to, Model.Workspace workspace) {
    Workspace ws = (Workspace) workspace;
    SparseBlock b = SparseModel.rows(this, params, block, from, to);
    double sum = 0;
    for (int i = from; i < to; i++) {
      ws.z[0] = score(params, b, i, ws.s);
      sum += spec.loss().lossAndDelta(ws.z, 0, 1, b.labels()[i], ws.delta, 0);
    }
    return sum;
  }

  @Override
  public void predict(float[] params, Block block, int from, int to, float[] out,
      Model.Workspace workspace) {
    Workspace ws = (Workspace) workspace;
    SparseBlock b = SparseModel.rows(this, params, block, from, to);
    for (int i = from; i < to; i++) {
      ws.z[0] = score(params, b, i, ws.s);
      spec.loss().link(ws.z, 0, 1);
      out[i - from] = ws.z[0];
    }
  }

  /** {@code y(x)} of row {@code row}; leaves {@code s_f = sum_j v_jf x_j} in {@code s}. */
  private float score(float[] params, SparseBlock b, int row, float[] s) {
    java.util.Arrays.fill(s, 0f);
    double linear = params[keys() * width];
    double squares = 0;
    for (int e = b.rowStart()[row]; e < b.rowStart()[row + 1]; e++) {
      int off = b.indices()[e] * width;
      float x = b.values()[e];
      linear += x * params[off];
      for (int f = 0; f < factors; f++) {
        float vx = params[off + 1 + f] * x;
        s[f] += vx;
        squares += vx * vx;
      }
    }
    double pairs = 0;
    for (int f = 0; f < factors; f++) {
      pairs += s[f] * s[f];
    }
    return (float) (linear + 0.5 * (pairs - squares));
  }

  /** Per-row sums and the keys of the last minibatch. */
  static final class Workspace implements Model.Workspace {
    final float[] s;
    final float[] z = new float[1];
    final float[] delta = new float[1];
    final KeySet touched;

    Workspace(int keys, int factors) {
      this.s = new float[factors];
      this.touched = new KeySet(keys);
    }
  }
}
