package io.sparkps.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between Java float arrays and ND4J arrays, each round's parameters in and gradient out
 * of the network: one bulk copy through the array's native buffer when the array is a whole,
 * contiguous float buffer (a network's flat parameters, gradients and updater state are), ND4J's
 * general path (cast, duplicate, assign) otherwise. ND4J's general path costs 0.1 to 0.7 ms for
 * 6,000 floats each way, 10 to 30% of a 128-row step of a small perceptron; the bulk copy about
 * 0.01 ms (bench/README.md, "deeplearning4j scaling on separate executor JVMs").
 */
final class FloatCopy {
  private FloatCopy() {
  }

  /** Whether {@code a}'s values are its whole float buffer, in the order of its flat view. */
  static boolean whole(INDArray a) {
    return a.dataType() == DataType.FLOAT && !a.isView() && a.offset() == 0
        && a.data().length() == a.length() && (a.isVector() || a.ordering() == 'c');
  }

  /** {@code a}'s values in C order, copied into a new array. */
  static float[] read(INDArray a) {
    float[] out = new float[Math.toIntExact(a.length())];
    read(a, out, 0);
    return out;
  }

  /** {@code a}'s values in C order (a vector's in its order) into {@code out} from {@code at}. */
  static void read(INDArray a, float[] out, int at) {
    if (at < 0 || out.length - at < a.length()) {
      throw new IllegalArgumentException("cannot copy " + a.length() + " values into an array "
          + "of " + out.length + " from index " + at);
    }
    if (whole(a)) {
      a.data().asNioFloat().get(out, at, (int) a.length());
    } else {
      float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
      System.arraycopy(v, 0, out, at, v.length);
    }
  }

  /** Sets {@code a}'s values in place (views of it stay valid) from {@code values[from...]}. */
  static void write(float[] values, int from, INDArray a) {
    if (from < 0 || values.length - from < a.length()) {
      throw new IllegalArgumentException("cannot copy " + a.length() + " values from index "
          + from + " of an array of " + values.length);
    }
    if (whole(a)) {
      a.data().asNioFloat().put(values, from, (int) a.length());
    } else {
      float[] v = from == 0 && values.length == a.length() ? values
          : java.util.Arrays.copyOfRange(values, from, from + (int) a.length());
      a.assign(Nd4j.createFromArray(v).reshape(a.shape()).castTo(a.dataType()));
    }
  }

  /** A new C-order float array of {@code shape} holding {@code values}. */
  static INDArray array(float[] values, long[] shape) {
    INDArray a = Nd4j.create(DataType.FLOAT, shape, 'c');
    if (values.length != a.length()) {
      throw new IllegalArgumentException(values.length + " values do not fill the shape "
          + java.util.Arrays.toString(shape));
    }
    write(values, 0, a);
    return a;
  }
}
