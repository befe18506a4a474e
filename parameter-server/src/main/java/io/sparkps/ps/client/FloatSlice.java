package io.sparkps.ps.client;

/** {@code length} floats of {@code array} from {@code offset}: the payload of one request. */
record FloatSlice(float[] array, int offset, int length) implements Payload {
  static final FloatSlice EMPTY = new FloatSlice(new float[0], 0, 0);

  @Override
  public int bytes() {
    return Math.multiplyExact(length, Float.BYTES);
  }
}
