package io.sparkps.ps.wire;

import java.nio.ByteBuffer;

/** Hand-made hostile frames: the probes of the hardening tests. */
public final class HostileFrames {
  /** 2^30 characters: a 2 GiB {@code char[]} if believed. */
  public static final int CLAIMED = 1 << 30;

  private HostileFrames() {}

  /**
   * The 17-byte probe: a hello frame whose token string claims 2^30 characters (Kryo's UTF-8
   * length form, claimed + 1 in five bytes) and then ends.
   */
  public static byte[] hugeTokenHello() {
    long n = CLAIMED + 1L;
    byte[] header = {
        (byte) (20 + 2),
        (byte) (0x80 | 0x40 | (n & 0x3F)),
        (byte) (0x80 | ((n >>> 6) & 0x7F)),
        (byte) (0x80 | ((n >>> 13) & 0x7F)),
        (byte) (0x80 | ((n >>> 20) & 0x7F)),
        (byte) ((n >>> 27) & 0x7F)};
    return ByteBuffer.allocate(4 + 7 + header.length).putInt(7 + header.length)
        .putInt(Protocol.MAGIC).put((byte) Protocol.VERSION).putShort((short) header.length)
        .put(header).array();
  }
}
