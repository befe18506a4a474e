package io.sparkps.ps.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How a {@link FrameDecoder} gathers a frame that arrives in several reads.
 *
 * <p>Where the channel reads through {@link FrameDecoder#receiveInto} (plain TCP on the server),
 * the rest of a frame is read straight into its final place: once the decoder knows the length
 * of a frame that has only partly arrived, a landing buffer of the frame's size is reserved and
 * each later socket read is given a slice of it, where the kernel copies the bytes; gathering
 * them costs nothing more than moving the write index (the bytes of the first read are moved in
 * front once). For a 400 KB push that saves a copy of the whole frame on the server's event loop.
 * The slices are cut so that reads after a short one start 64-byte aligned again (the kernel
 * copies to aligned memory faster, see the server's allocator).
 *
 * <p>Otherwise (TLS, whose handler hands over decrypted buffers, or a connection that has not
 * authenticated yet), like Netty's merge cumulator: a read that starts a frame is kept as it is;
 * later reads are copied after it, into a buffer that grows towards the frame's length (doubling
 * at most, so it never holds more than twice what has arrived). For large frames (1 MiB and
 * more) one buffer per connection is kept and reused for every frame, whichever way it is
 * filled: Netty's own cumulators either regrow and recopy a large frame several times or, as a
 * composite of read buffers, make the pool create and destroy chunks every round, which costs
 * more in page faults than one copy. One instance per decoder, used on its event loop only.
 */
final class FrameCumulator implements ByteToMessageDecoder.Cumulator {
  static final int LARGE = 1 << 20;
  private static final int ALIGNMENT = 64;
  /** Below this many bytes left a read is not cut short to realign the next one. */
  private static final int REALIGN_MIN = 1 << 12;
  /** This cumulator's reference to the reused buffer for large frames. */
  private ByteBuf large = Unpooled.EMPTY_BUFFER;
  /** Bytes of the frame being received, length field included, or 0 when not yet known. */
  private int expected;
  /**
   * Where the frame being received is read into directly, holding one reference of this
   * cumulator's, or null. Its first {@link #landingPrefix} bytes are reserved for the bytes that
   * arrived before it was reserved; the frame ends at {@link #landingEnd}.
   */
  private ByteBuf landing;
  private int landingPrefix;
  private int landingEnd;
  /** The slice of {@link #landing} last given to a socket read (not yet gathered), or null. */
  private ByteBuf offered;

  /** Tells the size of the frame being received (0: none or unknown). */
  void expect(int frameBytes) {
    expected = frameBytes;
  }

  /**
   * Reserves a landing buffer for the frame whose first {@code arrived} bytes are in the
   * cumulation and whose whole size {@link #expect} has been told, unless one is in use.
   */
  void land(ByteBufAllocator alloc, int arrived) {
    if (landing != null || expected <= arrived) {
      return;
    }
    landing = expected >= LARGE ? reusable(alloc, expected) : alloc.directBuffer(expected);
    landingPrefix = arrived;
    landingEnd = expected;
    landing.writerIndex(arrived);
  }

  /**
   * The buffer the next socket read should fill: a slice of the landing buffer up to the frame's
   * end (or up to the next aligned address), or null when no frame is landing.
   */
  ByteBuf offer() {
    if (landing == null) {
      return null;
    }
    // a slice still offered was released by a read that got nothing; this one replaces it
    int at = landing.writerIndex();
    int room = landingEnd - at;
    int misaligned = landing.hasMemoryAddress()
        ? (int) ((landing.memoryAddress() + at) & (ALIGNMENT - 1)) : 0;
    int n = misaligned == 0 || room < REALIGN_MIN ? room : ALIGNMENT - misaligned;
    offered = landing.retainedSlice(at, n).clear();
    return offered;
  }

  @Override
  public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
    if (in == offered && landed(cumulation)) {
      return gather(cumulation, in);
    }
    dropLanding();
    try {
      if (!cumulation.isReadable()) {
        cumulation.release();
        ByteBuf start = in;
        in = null;
        return start;
      }
      // appending never moves bytes already there, so the large buffer may be shared with the
      // decoder (it always is) and with slices of earlier frames
      if (in.readableBytes() <= cumulation.writableBytes() && !cumulation.isReadOnly()
          && (cumulation == large || cumulation.refCnt() == 1)) {
        return cumulation.writeBytes(in);
      }
      // room for the whole frame, but never for more than twice what has arrived: a peer that
      // announces a large frame and stalls cannot make the server reserve its length
      int arrived = cumulation.readableBytes() + in.readableBytes();
      int need = Math.max(arrived, Math.min(expected, 2 * arrived));
      ByteBuf target = expected >= LARGE ? reusable(alloc, need) : alloc.directBuffer(need);
      target.writeBytes(cumulation, cumulation.readerIndex(), cumulation.readableBytes())
          .writeBytes(in);
      cumulation.release();
      return target;
    } finally {
      if (in != null) {
        in.release();
      }
    }
  }

  /**
   * Whether the bytes gathered so far are where the landing buffer expects them: in it already,
   * or (before the first landed read) exactly the reserved prefix in the cumulation.
   */
  private boolean landed(ByteBuf cumulation) {
    return cumulation == landing || (landing.writerIndex() == landingPrefix
        && cumulation.readableBytes() == landingPrefix);
  }

  /** Takes in a read that landed in place: moves the write index over it. */
  private ByteBuf gather(ByteBuf cumulation, ByteBuf in) {
    offered = null;
    ByteBuf target = landing;
    if (cumulation != target) {
      target.setBytes(0, cumulation, cumulation.readerIndex(), landingPrefix);
      cumulation.release();
      target.retain(); // the decoder's reference, released by it once the frame is read
    }
    target.writerIndex(target.writerIndex() + in.readableBytes());
    in.release();
    if (target.writerIndex() == landingEnd) {
      dropLanding(); // the frame is whole; the decoder's reference keeps it
    }
    return target;
  }

  private void dropLanding() {
    offered = null;
    if (landing != null) {
      landing.release();
      landing = null;
    }
  }

  /**
   * The large buffer, emptied, with a reference for the caller; a new one if it is too small or
   * still referenced elsewhere (a payload slice not yet released, or the current cumulation
   * itself).
   */
  private ByteBuf reusable(ByteBufAllocator alloc, int need) {
    if (large.refCnt() != 1 || large.capacity() < need) {
      large.release();
      large = alloc.directBuffer(need);
    }
    return large.retain().clear();
  }

  /** Drops the reused and landing buffers (the connection is closing). */
  void release() {
    dropLanding();
    large.release();
    large = Unpooled.EMPTY_BUFFER;
  }
}
