package io.sparkps.core.model;

import io.sparkps.core.compute.ComputeBackend;
import io.sparkps.core.data.Block;
import io.sparkps.core.data.SparseBlock;
import java.util.SplittableRandom;

/**
 * A wide and deep network ({@link WideDeepSpec}; Cheng et al., DLRS 2016). The score of a row is
 * {@code z = b + sum_e x_e w_{j_e} + mlp(h)}, where {@code h} concatenates one embedding per
 * field, {@code h_f = sum_{e in field f} x_e E_{j_e}} (a field with no entry contributes zeros),
 * and {@code mlp} is a perceptron on the {@link ComputeBackend} with a single linear output.
 * Backpropagation runs through the perceptron down to {@code h} and from there into the rows of
 * the keys the minibatch holds, so the sparse part of a minibatch costs O(nnz x D).
 *
 * <p>Key {@code j}'s row is {@code [w_j, E_j1 .. E_jD]} at {@code j * (D + 1)}; then the wide bias;
 * then the perceptron ({@link ParameterLayout#dense(int[], int)}). Initialization: zero wide
 * weights and bias, embeddings from N(0, initScale^2) per key ({@link LazyPenalty#gaussian}),
 * the perceptron as {@link DenseModel} does (He for rectifiers, Glorot otherwise, zero biases).
 * Lazy regularization covers the touched rows and every perceptron weight.
 */
public final class WideDeepModel implements SparseModel {
  private final WideDeepSpec spec;
  private final ComputeBackend backend;
  private final int dim;
  private final int width;
  private final int bias;
  private final int[] sizes;
  private final ParameterLayout deep;

  WideDeepModel(WideDeepSpec spec, ComputeBackend backend) {
    this.spec = spec;
    this.backend = backend;
    this.dim = spec.embeddingDim();
    this.width = dim + 1;
    this.bias = spec.inputs() * width;
    this.sizes = spec.deepSizes();
    this.deep = ParameterLayout.dense(sizes, bias + 1);
  }

  @Override
  public WideDeepSpec spec() {
    return spec;
  }

  @Override
  public int rowWidth() {
    return width;
  }

  @Override
  public int denseTail() {
    return 1 + deep.size();
  }

  @Override
  public int outputs() {
    return 1;
  }

  /** Writes key {@code key}'s initial row: a zero wide weight and a seeded embedding. */
  @Override
  public void initializeRow(float[] row, int off, long key, long seed) {
    row[off] = 0f;
    for (int d = 0; d < dim; d++) {
      row[off + 1 + d] = (float) (spec.initScale() * LazyPenalty.gaussian(seed, key, d));
    }
  }

  @Override
  public void initialize(float[] params, long seed) {
    SparseModel.checkLength(this, params);
    java.util.Arrays.fill(params, 0f);
    for (int j = 0; j < keys(); j++) {
      initializeRow(params, j * width, j, seed);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int l = 0; l < deep.layers(); l++) {
      ParameterLayout.Segment w = deep.weights(l);
      boolean he = l + 1 < deep.layers() && spec.activation().prefersHeInit();
      double bound = Math.sqrt(6.0 / (w.rows() + w.cols()));
      double sd = Math.sqrt(2.0 / w.rows());
      for (int i = w.offset(); i < w.offset() + w.size(); i++) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        params[i] = (float) (he
            ? Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2) * sd
            : (2 * u1 - 1) * bound);
      }
    }
  }

  @Override
  public void setOutputBias(float[] params, float value) {
    SparseModel.checkLength(this, params);
    params[bias] = value; // the wide part's bias; the deep part's output starts near 0
  }

  @Override
  public Model.Workspace newWorkspace(int maxRows) {
    return new Workspace(keys(), sizes, maxRows);
  }

  @Override
  public double lossAndGradient(float[] params, Block block, int from, int to, float[] grad,
      Model.Workspace workspace) {
    Workspace ws = (Workspace) workspace;
    SparseBlock b = rows(params, block, from, to);
    double sum = forward(params, b, from, to, ws, true);
    int n = to - from;
    int out = sizes.length - 1;
    float[] delta = ws.deltas[out];
    ws.touched.clear();
    for (int i = 0; i < n; i++) {
      float d = delta[i];
      grad[bias] += d;
      for (int e = b.rowStart()[from + i]; e < b.rowStart()[from + i + 1]; e++) {
        ws.touched.add(b.indices()[e]);
        grad[b.indices()[e] * width] += d * b.values()[e];
      }
    }
    for (int l = out - 1; l >= 0; l--) {
      ParameterLayout.Segment w = deep.weights(l);
      ParameterLayout.Segment bs = deep.biases(l);
      backend.accumulateWeightGradient(ws.activations[l], 0, n, sizes[l], ws.deltas[l + 1],
          sizes[l + 1], grad, w.offset(), bs.offset());
      backend.backpropDelta(ws.deltas[l + 1], n, sizes[l + 1], params, w.offset(), sizes[l],
          ws.deltas[l]);
      if (l > 0) {
        spec.activation().backprop(ws.activations[l], ws.deltas[l], 0, n * sizes[l]);
      }
    }
    float[] dh = ws.deltas[0];
    int h = sizes[0];
    for (int i = 0; i < n; i++) {
      for (int e = b.rowStart()[from + i]; e < b.rowStart()[from + i + 1]; e++) {
        int off = b.indices()[e] * width + 1;
        int hf = i * h + b.fields()[e] * dim;
        float x = b.values()[e];
        for (int d = 0; d < dim; d++) {
          grad[off + d] += x * dh[hf + d];
        }
      }
    }
    return sum;
  }

  @Override
  public double finishGradient(float[] params, float[] grad, float factor, Regularizer reg,
      Model.Workspace workspace) {
    double penalty = LazyPenalty.finishRows(params, grad, factor, reg,
        ((Workspace) workspace).touched, width, bias, bias + denseTail());
    if (reg.isNone()) {
      return penalty;
    }
    for (ParameterLayout.Segment s : deep.weightSegments()) {
      for (int i = s.offset(); i < s.offset() + s.size(); i++) {
        double w = params[i];
        penalty += reg.l1() * Math.abs(w) + 0.5 * reg.l2() * w * w;
        grad[i] += (float) (reg.l1() * Math.signum(w) + reg.l2() * w);
      }
    }
    return penalty;
  }

  @Override
  public double loss(float[] params, Block block, int from, int to, Model.Workspace workspace) {
    return forward(params, rows(params, block, from, to), from, to, (Workspace) workspace, true);
  }

  @Override
  public void predict(float[] params, Block block, int from, int to, float[] out,
      Model.Workspace workspace) {
    Workspace ws = (Workspace) workspace;
    forward(params, rows(params, block, from, to), from, to, ws, false);
    float[] z = ws.activations[sizes.length - 1];
    for (int i = 0; i < to - from; i++) {
      spec.loss().link(z, i, 1);
      out[i] = z[i];
    }
  }

  /**
   * Embeds rows {@code [from, to)}, runs the perceptron, adds the wide part to its output and,
   * when {@code withLoss}, returns the summed loss with {@code dLoss/dz} in the output deltas.
   */
  private double forward(float[] params, SparseBlock b, int from, int to, Workspace ws,
      boolean withLoss) {
    int n = to - from;
    ws.ensure(n);
    int h = sizes[0];
    float[] in = ws.activations[0];
    java.util.Arrays.fill(in, 0, n * h, 0f);
    float[] wide = ws.wide;
    for (int i = 0; i < n; i++) {
      double z = params[bias];
      for (int e = b.rowStart()[from + i]; e < b.rowStart()[from + i + 1]; e++) {
        int off = b.indices()[e] * width;
        float x = b.values()[e];
        z += x * params[off];
        int hf = i * h + b.fields()[e] * dim;
        for (int d = 0; d < dim; d++) {
          in[hf + d] += x * params[off + 1 + d];
        }
      }
      wide[i] = (float) z;
    }
    for (int l = 0; l + 1 < sizes.length; l++) {
      float[] z = ws.activations[l + 1];
      backend.affine(ws.activations[l], 0, n, sizes[l], params, deep.weights(l).offset(),
          deep.biases(l).offset(), sizes[l + 1], z);
      if (l + 2 < sizes.length) {
        spec.activation().applyInPlace(z, 0, n * sizes[l + 1]);
      }
    }
    float[] z = ws.activations[sizes.length - 1];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      z[i] += wide[i];
      if (withLoss) {
        sum += spec.loss().lossAndDelta(z, i, 1, b.labels()[from + i], ws.deltas[sizes.length - 1],
            i);
      }
    }
    return sum;
  }

  private SparseBlock rows(float[] params, Block block, int from, int to) {
    SparseBlock b = SparseModel.rows(this, params, block, from, to);
    if (b.nnz() > 0 && !b.hasFields() || b.fieldCount() > spec.fields()) {
      throw new IllegalArgumentException("wide-deep needs rows whose entries name one of its "
          + spec.fields() + " fields, got " + (b.hasFields() ? b.fieldCount() + " fields"
          : "rows without fields") + "; load CSV data with --categorical");
    }
    return b;
  }

  /** Activations and deltas of the perceptron (layer 0: the embeddings), grown on demand. */
  static final class Workspace implements Model.Workspace {
    private final int[] sizes;
    private int capacity = -1;
    final float[][] activations;
    final float[][] deltas;
    float[] wide = new float[0];
    final KeySet touched;

    Workspace(int keys, int[] sizes, int rows) {
      this.sizes = sizes.clone();
      this.activations = new float[sizes.length][];
      this.deltas = new float[sizes.length][];
      this.touched = new KeySet(keys);
      ensure(Math.max(1, rows));
    }

    void ensure(int rows) {
      if (rows <= capacity) {
        return;
      }
      for (int l = 0; l < sizes.length; l++) {
        activations[l] = new float[rows * sizes[l]];
        deltas[l] = new float[rows * sizes[l]];
      }
      wide = new float[rows];
      capacity = rows;
    }
  }
}
