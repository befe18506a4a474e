package io.sparkps.core.model;

import io.sparkps.core.compute.ComputeBackend;
import io.sparkps.core.compute.CpuBackend;
import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SparseBlock;
import java.util.SplittableRandom;

/**
 * The dense {@link Model}: a feed-forward network over a flat parameter vector: linear, logistic and softmax
 * regression are the networks without hidden layers, a perceptron has one or more.
 *
 * <p>Lifecycle: build from a {@link DenseSpec}; {@link #initialize} a parameter vector of
 * {@link #parameterCount()} floats; then call {@link #lossAndGradient} per minibatch (the caller
 * owns the gradient buffer and zeroes it) and {@link #predict} to score rows. A model holds no
 * parameters and no mutable state, so one instance serves every thread; per-thread scratch
 * memory lives in a {@link Workspace}.
 *
 * <p>Backpropagation follows Rumelhart, Hinton and Williams (1986); the dense-layer loops run
 * on a {@link ComputeBackend} ({@link CpuBackend} unless told otherwise).
 */
public final class DenseModel implements Model {
  private final DenseSpec spec;
  private final int[] sizes;
  private final ParameterLayout layout;
  private final ComputeBackend backend;

  /** The model on the built-in CPU backend. */
  public DenseModel(DenseSpec spec) {
    this(spec, CpuBackend.INSTANCE);
  }

  public DenseModel(DenseSpec spec, ComputeBackend backend) {
    this.spec = spec;
    this.sizes = spec.layerSizes();
    this.layout = ParameterLayout.dense(sizes);
    this.backend = backend;
  }

  @Override
  public DenseSpec spec() {
    return spec;
  }

  public ParameterLayout layout() {
    return layout;
  }

  @Override
  public int parameterCount() {
    return layout.size();
  }

  public int inputs() {
    return sizes[0];
  }

  @Override
  public int outputs() {
    return sizes[sizes.length - 1];
  }

  /**
   * Seeded initialization: zeros for the convex models; for perceptrons He-normal weights for
   * rectifiers (He et al., 2015) and Glorot-uniform otherwise (Glorot and Bengio, 2010), zero
   * biases.
   */
  @Override
  public void initialize(float[] params, long seed) {
    checkParams(params);
    java.util.Arrays.fill(params, 0f);
    if (layout.layers() == 1) {
      return;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int l = 0; l < layout.layers(); l++) {
      ParameterLayout.Segment w = layout.weights(l);
      int fanIn = w.rows();
      int fanOut = w.cols();
      boolean he = l + 1 < layout.layers() && spec.activation().prefersHeInit();
      double bound = Math.sqrt(6.0 / (fanIn + fanOut));
      double sd = Math.sqrt(2.0 / fanIn);
      for (int i = w.offset(); i < w.offset() + w.size(); i++) {
        params[i] = (float) (he ? gaussian(rng) * sd : (2 * rng.nextDouble() - 1) * bound);
      }
    }
  }

  private static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  @Override
  public void setOutputBias(float[] params, float value) {
    checkParams(params);
    ParameterLayout.Segment bias = layout.biases(layout.layers() - 1);
    java.util.Arrays.fill(params, bias.offset(), bias.offset() + bias.size(), value);
  }

  @Override
  public Model.Workspace newWorkspace(int maxRows) {
    return new Workspace(sizes, maxRows);
  }

  /**
   * Adds the summed gradient of the loss over rows {@code [from, to)} of {@code block} to
   * {@code grad} and returns the summed loss. No regularization: see {@link Objective}.
   */
  @Override
  public double lossAndGradient(float[] params, Block block, int from, int to, float[] grad,
      Model.Workspace workspace) {
    Workspace ws = workspace(workspace);
    ExampleBlock dense = dense(block);
    double sum = loss(params, dense, from, to, ws);
    backward(params, dense, from, to - from, grad, ws);
    return sum;
  }

  /** Scales the whole gradient and adds the penalty of every weight (never the biases). */
  @Override
  public double finishGradient(float[] params, float[] grad, float factor, Regularizer regularizer,
      Model.Workspace ws) {
    for (int i = 0; i < grad.length; i++) {
      grad[i] *= factor;
    }
    return regularizer.addTo(params, grad, layout);
  }

  /**
   * A dense block as it is; a sparse one as a dense copy of its rows (the dense models read
   * every column: for sparse high-dimensional data use a sparse model).
   */
  private static ExampleBlock dense(Block block) {
    if (block instanceof ExampleBlock b) {
      return b;
    }
    return ((SparseBlock) block).toDense();
  }

  private static Workspace workspace(Model.Workspace ws) {
    if (ws instanceof Workspace w) {
      return w;
    }
    throw new IllegalArgumentException("a dense model needs the workspace of its own "
        + "newWorkspace, got " + ws.getClass().getSimpleName());
  }

  /**
   * The summed loss over rows {@code [from, to)}: a forward pass only. Leaves {@code dLoss/dz}
   * of the output layer in the workspace, where {@link #lossAndGradient} picks it up.
   */
  @Override
  public double loss(float[] params, Block block, int from, int to, Model.Workspace workspace) {
    return loss(params, dense(block), from, to, workspace(workspace));
  }

  private double loss(float[] params, ExampleBlock block, int from, int to, Workspace ws) {
    checkParams(params);
    checkBlock(block, from, to);
    ws.ensure(to - from);
    forward(params, block, from, to, ws);
    int k = outputs();
    float[] out = ws.activations[sizes.length - 1];
    float[] delta = ws.deltas[sizes.length - 1];
    if (k == 1 && spec.loss() instanceof Loss.LogLoss) {
      return backend.logLoss(out, to - from, block.labels(), from, delta); // vectorized there
    }
    double sum = 0;
    for (int i = 0, n = to - from; i < n; i++) {
      sum += spec.loss().lossAndDelta(out, i * k, k, block.labels()[from + i], delta, i * k);
    }
    return sum;
  }

  /**
   * Writes predictions for rows {@code [from, to)} to {@code out}, {@link #outputs()} per row:
   * the value (regression), P(y = 1) (binary) or class probabilities (multiclass).
   */
  @Override
  public void predict(float[] params, Block block, int from, int to, float[] out,
      Model.Workspace workspace) {
    predict(params, dense(block), from, to, out, workspace(workspace));
  }

  private void predict(float[] params, ExampleBlock block, int from, int to, float[] out,
      Workspace ws) {
    checkParams(params);
    checkBlock(block, from, to);
    ws.ensure(to - from);
    forward(params, block, from, to, ws);
    int k = outputs();
    int n = to - from;
    float[] z = ws.activations[sizes.length - 1];
    for (int i = 0; i < n; i++) {
      spec.loss().link(z, i * k, k);
    }
    System.arraycopy(z, 0, out, 0, n * k);
  }

  private void forward(float[] params, ExampleBlock block, int from, int to, Workspace ws) {
    int n = to - from;
    float[] in = block.features();
    int inOff = from * sizes[0];
    for (int l = 0; l + 1 < sizes.length; l++) {
      ParameterLayout.Segment w = layout.weights(l);
      ParameterLayout.Segment b = layout.biases(l);
      float[] z = ws.activations[l + 1];
      backend.affine(in, inOff, n, sizes[l], params, w.offset(), b.offset(), sizes[l + 1], z);
      if (l + 2 < sizes.length) {
        spec.activation().applyInPlace(z, 0, n * sizes[l + 1]);
      }
      in = z;
      inOff = 0;
    }
  }

  private void backward(float[] params, ExampleBlock block, int from, int n, float[] grad,
      Workspace ws) {
    for (int l = sizes.length - 2; l >= 0; l--) {
      float[] input = l == 0 ? block.features() : ws.activations[l];
      int inOff = l == 0 ? from * sizes[0] : 0;
      float[] delta = ws.deltas[l + 1];
      ParameterLayout.Segment w = layout.weights(l);
      ParameterLayout.Segment b = layout.biases(l);
      backend.accumulateWeightGradient(input, inOff, n, sizes[l], delta, sizes[l + 1], grad,
          w.offset(), b.offset());
      if (l > 0) {
        float[] prev = ws.deltas[l];
        backend.backpropDelta(delta, n, sizes[l + 1], params, w.offset(), sizes[l], prev);
        spec.activation().backprop(ws.activations[l], prev, 0, n * sizes[l]);
      }
    }
  }

  private void checkParams(float[] params) {
    if (params.length != layout.size()) {
      throw new IllegalArgumentException("model " + spec.kind() + " with layers "
          + java.util.Arrays.toString(sizes) + " has " + layout.size()
          + " parameters, got a vector of " + params.length);
    }
  }

  private void checkBlock(ExampleBlock block, int from, int to) {
    if (block.cols() != sizes[0]) {
      throw new IllegalArgumentException("model expects " + sizes[0] + " features, the data has "
          + block.cols());
    }
    if (from < 0 || to > block.rows() || from > to) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") outside a block of "
          + block.rows());
    }
  }

  /** Per-thread activations and deltas, grown on demand. */
  static final class Workspace implements Model.Workspace {
    private final int[] sizes;
    private int capacity;
    final float[][] activations;
    final float[][] deltas;

    Workspace(int[] sizes, int rows) {
      this.sizes = sizes.clone();
      this.activations = new float[sizes.length][];
      this.deltas = new float[sizes.length][];
      this.capacity = -1;
      ensure(Math.max(1, rows));
    }

    void ensure(int rows) {
      if (rows <= capacity) {
        return;
      }
      for (int l = 1; l < sizes.length; l++) {
        activations[l] = new float[rows * sizes[l]];
        deltas[l] = new float[rows * sizes[l]];
      }
      capacity = rows;
    }
  }
}
