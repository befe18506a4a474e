package io.sparkps.core.model;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.SparseBlock;

/**
 * Linear, logistic or softmax regression over sparse rows ({@link SparseLinearSpec}): the scores
 * of a row are {@code z_c = b_c + sum_e x_e W[j_e, c]} over its stored entries {@code (j_e, x_e)},
 * so a minibatch's loss and gradient cost O(nnz x outputs). Key {@code j}'s weights are the
 * {@code outputs} floats at {@code j * outputs}; the biases follow the last key. Zero
 * initialization (the objective is convex).
 */
public final class SparseLinearModel implements SparseModel {
  private final SparseLinearSpec spec;
  private final int k;

  SparseLinearModel(SparseLinearSpec spec) {
    this.spec = spec;
    this.k = spec.outputs();
  }

  @Override
  public SparseLinearSpec spec() {
    return spec;
  }

  @Override
  public int rowWidth() {
    return k;
  }

  @Override
  public int denseTail() {
    return k;
  }

  @Override
  public int outputs() {
    return k;
  }

  @Override
  public void initialize(float[] params, long seed) {
    SparseModel.checkLength(this, params);
    java.util.Arrays.fill(params, 0f);
  }

  /** Writes key {@code key}'s initial row: zero weights. */
  @Override
  public void initializeRow(float[] row, int off, long key, long seed) {
    java.util.Arrays.fill(row, off, off + k, 0f);
  }

  @Override
  public void setOutputBias(float[] params, float value) {
    SparseModel.checkLength(this, params);
    java.util.Arrays.fill(params, keys() * k, keys() * k + k, value);
  }

  @Override
  public Model.Workspace newWorkspace(int maxRows) {
    return new Workspace(keys(), k);
  }

  @Override
  public double lossAndGradient(float[] params, Block block, int from, int to, float[] grad,
      Model.Workspace workspace) {
    Workspace ws = (Workspace) workspace;
    SparseBlock b = SparseModel.rows(this, params, block, from, to);
    ws.touched.clear();
    int bias = keys() * k;
    double sum = 0;
    for (int i = from; i < to; i++) {
      scores(params, b, i, ws.z);
      sum += spec.loss().lossAndDelta(ws.z, 0, k, b.labels()[i], ws.delta, 0);
      for (int e = b.rowStart()[i]; e < b.rowStart()[i + 1]; e++) {
        int j = b.indices()[e];
        float x = b.values()[e];
        ws.touched.add(j);
        for (int c = 0; c < k; c++) {
          grad[j * k + c] += x * ws.delta[c];
        }
      }
      for (int c = 0; c < k; c++) {
        grad[bias + c] += ws.delta[c];
      }
    }
    return sum;
  }

  @Override
  public double finishGradient(float[] params, float[] grad, float factor, Regularizer reg,
      Model.Workspace workspace) {
    return LazyPenalty.finishRows(params, grad, factor, reg, ((Workspace) workspace).touched, k,
        keys() * k, keys() * k + k);
  }

  @Override
  public double loss(float[] params, Block block, int from, int to, Model.Workspace workspace) {
    Workspace ws = (Workspace) workspace;
    SparseBlock b = SparseModel.rows(this, params, block, from, to);
    double sum = 0;
    for (int i = from; i < to; i++) {
      scores(params, b, i, ws.z);
      sum += spec.loss().lossAndDelta(ws.z, 0, k, b.labels()[i], ws.delta, 0);
    }
    return sum;
  }

  @Override
  public void predict(float[] params, Block block, int from, int to, float[] out,
      Model.Workspace workspace) {
    Workspace ws = (Workspace) workspace;
    SparseBlock b = SparseModel.rows(this, params, block, from, to);
    for (int i = from; i < to; i++) {
      scores(params, b, i, ws.z);
      spec.loss().link(ws.z, 0, k);
      System.arraycopy(ws.z, 0, out, (i - from) * k, k);
    }
  }

  private void scores(float[] params, SparseBlock b, int row, float[] z) {
    int bias = keys() * k;
    for (int c = 0; c < k; c++) {
      z[c] = params[bias + c];
    }
    for (int e = b.rowStart()[row]; e < b.rowStart()[row + 1]; e++) {
      int off = b.indices()[e] * k;
      float x = b.values()[e];
      for (int c = 0; c < k; c++) {
        z[c] += x * params[off + c];
      }
    }
  }

  /** Scores and deltas of one row, and the keys of the last minibatch. */
  static final class Workspace implements Model.Workspace {
    final float[] z;
    final float[] delta;
    final KeySet touched;

    Workspace(int keys, int k) {
      this.z = new float[k];
      this.delta = new float[k];
      this.touched = new KeySet(keys);
    }
  }
}
