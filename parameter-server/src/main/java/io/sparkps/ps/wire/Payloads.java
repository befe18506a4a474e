package io.sparkps.ps.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteOrder;

/** Float arrays to and from little-endian payload buffers, in bulk, with one copy each way. */
public final class Payloads {

  private Payloads() {}

  /** A direct buffer holding {@code src[off, off + len)} as little-endian floats. */
  public static ByteBuf fromFloats(ByteBufAllocator alloc, float[] src, int off, int len) {
    int bytes = Math.multiplyExact(len, Float.BYTES);
    return writeFloats(alloc.directBuffer(bytes, bytes), src, off, len);
  }

  /**
   * Overwrites {@code dst} from its index 0 with {@code src[off, off + len)} as little-endian
   * floats (its capacity must hold them) and returns it.
   */
  public static ByteBuf writeFloats(ByteBuf dst, float[] src, int off, int len) {
    int bytes = Math.multiplyExact(len, Float.BYTES);
    setFloats(dst, 0, src, off, len);
    return dst.setIndex(0, bytes);
  }

  /**
   * Writes {@code src[off, off + len)} as little-endian floats into {@code dst} from float index
   * {@code dstFloat} (byte {@code 4 * dstFloat}); leaves its reader and writer indexes alone.
   */
  public static void setFloats(ByteBuf dst, int dstFloat, float[] src, int off, int len) {
    dst.nioBuffer(Math.multiplyExact(dstFloat, Float.BYTES), Math.multiplyExact(len, Float.BYTES))
        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(src, off, len);
  }

  /** Copies all floats of {@code payload} into {@code dst} from {@code dstOff}; reads nothing. */
  public static void toFloats(ByteBuf payload, float[] dst, int dstOff) {
    int n = payload.readableBytes() / Float.BYTES;
    payload.nioBuffer(payload.readerIndex(), n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer().get(dst, dstOff, n);
  }

  /** The floats of {@code payload} as a new array. */
  public static float[] toFloats(ByteBuf payload) {
    float[] out = new float[payload.readableBytes() / Float.BYTES];
    toFloats(payload, out, 0);
    return out;
  }
}
