package io.sparkps.ps.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * One frame: a header and a payload of raw little-endian floats. The frame owns one reference to
 * {@code payload}: whoever consumes the frame releases it (the encoder does, after writing).
 */
public record Frame(Message header, ByteBuf payload, int version) {

  /** A frame of this build's protocol version. */
  public Frame(Message header, ByteBuf payload) {
    this(header, payload, Protocol.VERSION);
  }

  /**
   * The same header stamped with another protocol version: only for the {@code Error} that
   * refuses a peer of that version, so that it can read why (the Error layout never changes).
   */
  public Frame stampedFor(int peerVersion) {
    return new Frame(header, payload, peerVersion);
  }

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
