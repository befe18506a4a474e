package io.sparkps.core.model;

import io.sparkps.core.compute.ComputeBackend;
import java.util.List;

/**
 * A wide and deep network (Cheng et al., "Wide &amp; Deep Learning for Recommender Systems",
 * DLRS 2016) over sparse rows whose entries name their input field: a wide sparse linear part,
 * plus a perceptron over the concatenation of one {@code embeddingDim}-wide embedding per field.
 * Regression (squared or Huber loss) or binary classification (log loss). JSON type name
 * {@code wide-deep}.
 *
 * @param inputs the key space (index bound of the sparse rows)
 * @param fields number of input fields (one embedding each)
 * @param embeddingDim D, the width of each field's embedding, 1 to 256
 * @param hidden hidden layer widths of the deep part, at least one
 * @param activation hidden activation of the deep part
 * @param loss squared, Huber or log loss
 * @param initScale standard deviation of the embeddings' seeded normal initialization
 */
public record WideDeepSpec(int inputs, int fields, int embeddingDim, List<Integer> hidden,
    Activation activation, Loss loss, double initScale) implements ModelSpec {

  public WideDeepSpec {
    hidden = List.copyOf(hidden);
    if (inputs < 1 || fields < 1) {
      throw new IllegalArgumentException("wide-deep needs a key space and fields of at least 1, "
          + "got " + inputs + " keys and " + fields + " fields");
    }
    if (embeddingDim < 1 || embeddingDim > 256) {
      throw new IllegalArgumentException("--embedding-dim must be 1 to 256, got " + embeddingDim);
    }
    if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
      throw new IllegalArgumentException("wide-deep needs hidden layer widths of at least 1, got "
          + hidden + "; pass them with --hidden, e.g. 64,32");
    }
    if (loss.task() == Task.MULTICLASS) {
      throw new IllegalArgumentException("wide-deep does regression or binary classification, "
          + "not " + loss.task() + "; use softmax or mlp for several classes");
    }
    if (!(initScale > 0) || !Double.isFinite(initScale)) {
      throw new IllegalArgumentException("initScale must be a positive number, got " + initScale);
    }
    if ((long) inputs * (embeddingDim + 1) > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(inputs + " keys x " + (embeddingDim + 1) + " floats do "
          + "not fit one parameter vector; use fewer hash bits or a smaller embedding");
    }
  }

  /** Wide and deep with the default embedding initialization (N(0, 0.01^2)). */
  public static WideDeepSpec of(int inputs, int fields, int embeddingDim, List<Integer> hidden,
      Activation activation, Loss loss) {
    return new WideDeepSpec(inputs, fields, embeddingDim, hidden, activation, loss,
        FmSpec.DEFAULT_INIT_SCALE);
  }

  @Override
  public int outputs() {
    return 1;
  }

  @Override
  public String name() {
    return "wide-deep";
  }

  @Override
  public String shape() {
    return KeySpace.describe(inputs) + " x " + (embeddingDim + 1) + ", deep "
        + java.util.Arrays.toString(deepSizes());
  }

  /** Layer widths of the deep part: {@code fields * embeddingDim}, the hidden widths, 1. */
  public int[] deepSizes() {
    int[] sizes = new int[hidden.size() + 2];
    sizes[0] = fields * embeddingDim;
    for (int i = 0; i < hidden.size(); i++) {
      sizes[i + 1] = hidden.get(i);
    }
    sizes[sizes.length - 1] = 1;
    return sizes;
  }

  @Override
  public WideDeepModel build() {
    return build(io.sparkps.core.compute.CpuBackend.INSTANCE);
  }

  @Override
  public WideDeepModel build(ComputeBackend backend) {
    return new WideDeepModel(this, backend);
  }
}
