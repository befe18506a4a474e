package io.sparkps.dl4j;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One partition's training rows, as a worker caches them: the features, labels and optional
 * masks of a DL4J {@link DataSet} held as C-order float arrays with their shapes, the first
 * dimension being the example. Plain arrays travel through Spark's block manager and serializers
 * without ND4J's native memory or its Kryo registrator, and a minibatch is gathered from them by
 * copying whole examples ({@link #select}).
 *
 * @param features the features, {@code shapes[0]} in C order
 * @param labels the labels, {@code shapes[1]}
 * @param featuresMask the features mask ({@code shapes[2]}), or an empty array when there is none
 * @param labelsMask the labels mask ({@code shapes[3]}), or an empty array when there is none
 * @param shapes the four shapes; a missing mask's shape is empty
 */
public record NetBlock(float[] features, float[] labels, float[] featuresMask,
    float[] labelsMask, long[][] shapes) implements Serializable {

  public NetBlock {
    if (shapes.length != 4) {
      throw new IllegalArgumentException("a block has four shapes (features, labels and their "
          + "masks), got " + shapes.length);
    }
    check("features", features, shapes[0]);
    check("labels", labels, shapes[1]);
    check("features mask", featuresMask, shapes[2]);
    check("labels mask", labelsMask, shapes[3]);
    if (shapes[1].length > 0 && shapes[1][0] != shapes[0][0]) {
      throw new IllegalArgumentException("the block has " + shapes[0][0] + " feature rows but "
          + shapes[1][0] + " label rows; every example needs its labels");
    }
  }

  private static void check(String what, float[] values, long[] shape) {
    long n = shape.length == 0 ? 0 : Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (n != values.length) {
      throw new IllegalArgumentException("the " + what + " hold " + values.length
          + " values but their shape " + Arrays.toString(shape) + " needs " + n);
    }
  }

  /** A block with no rows (a partition that holds no data). */
  public static NetBlock empty() {
    float[] none = new float[0];
    return new NetBlock(none, none, none, none, new long[][] {{0}, {0}, {}, {}});
  }

  /** The examples of {@code parts}, merged (DL4J pads the time series of unequal lengths). */
  public static NetBlock of(List<DataSet> parts) {
    if (parts.isEmpty()) {
      return empty();
    }
    DataSet d = parts.size() == 1 ? parts.get(0) : DataSet.merge(parts);
    return new NetBlock(floats(d.getFeatures()), floats(d.getLabels()),
        floats(d.getFeaturesMaskArray()), floats(d.getLabelsMaskArray()),
        new long[][] {shape(d.getFeatures()), shape(d.getLabels()),
            shape(d.getFeaturesMaskArray()), shape(d.getLabelsMaskArray())});
  }

  private static float[] floats(INDArray a) {
    return a == null ? new float[0] : a.dup('c').castTo(DataType.FLOAT).data().asFloat();
  }

  private static long[] shape(INDArray a) {
    return a == null ? new long[0] : a.shape().clone();
  }

  /** Number of examples. */
  public int rows() {
    return (int) shapes[0][0];
  }

  /** The examples {@code rows}, in that order, as a DL4J data set. */
  public DataSet select(int[] rows) {
    return new DataSet(gather(features, shapes[0], rows), gather(labels, shapes[1], rows),
        gather(featuresMask, shapes[2], rows), gather(labelsMask, shapes[3], rows));
  }

  /** Examples {@code [from, to)} of {@code order}. */
  public DataSet select(int[] order, int from, int to) {
    return select(Arrays.copyOfRange(order, from, to));
  }

  /** The whole block as a DL4J data set. */
  public DataSet all() {
    int[] rows = new int[rows()];
    Arrays.setAll(rows, i -> i);
    return select(rows);
  }

  private static INDArray gather(float[] values, long[] shape, int[] rows) {
    if (shape.length == 0) {
      return null;
    }
    int width = (int) (shape[0] == 0 ? 0 : values.length / shape[0]);
    float[] out = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(values, rows[i] * width, out, i * width, width);
    }
    long[] s = shape.clone();
    s[0] = rows.length;
    return FloatCopy.array(out, s);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetBlock b && Arrays.equals(features, b.features)
        && Arrays.equals(labels, b.labels) && Arrays.equals(featuresMask, b.featuresMask)
        && Arrays.equals(labelsMask, b.labelsMask) && Arrays.deepEquals(shapes, b.shapes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(features) + Arrays.deepHashCode(shapes);
  }

  @Override
  public String toString() {
    return "NetBlock[rows=" + rows() + ", features=" + Arrays.toString(shapes[0]) + ", labels="
        + Arrays.toString(shapes[1]) + "]";
  }
}
