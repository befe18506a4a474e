package io.sparkps.ps.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * One frame: a header and a payload of raw little-endian floats. The frame owns one reference to
 * {@code payload}: whoever consumes the frame releases it (the encoder does, after writing).
 */
public record Frame(Message header, ByteBuf payload) {

  /** A frame with no payload. */
  public static Frame of(Message header) {
    return new Frame(header, Unpooled.EMPTY_BUFFER);
  }

  /** Number of floats in the payload. */
  public int floatCount() {
    return payload.readableBytes() / Float.BYTES;
  }

  /** Drops this frame's reference to the payload. */
  public void release() {
    ReferenceCounted p = payload;
    if (p.refCnt() > 0) {
      p.release();
    }
  }
}
