package io.sparkps.ps.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How a {@link FrameDecoder} gathers a frame that arrives in several reads: like Netty's merge
 * cumulator (a read that starts a frame is kept as it is; later reads are copied after it), but
 * the gathering buffer grows towards the frame's length, which the decoder has read (doubling at
 * most, so it never holds more than twice what has arrived), and for large frames (1 MiB and
 * more) one buffer per connection is kept and reused for every frame. Netty's own cumulators
 * either regrow and recopy a large frame several times or, as a composite of read buffers, make
 * the pool create and destroy chunks every round, which costs more in page faults than one copy.
 * One instance per decoder, used on its event loop only.
 */
final class FrameCumulator implements ByteToMessageDecoder.Cumulator {
  static final int LARGE = 1 << 20;
  /** This cumulator's reference to the reused buffer for large frames. */
  private ByteBuf large = Unpooled.EMPTY_BUFFER;
  /** Bytes of the frame being received, length field included, or 0 when not yet known. */
  private int expected;

  /** Tells the size of the frame being received (0: none or unknown). */
  void expect(int frameBytes) {
    expected = frameBytes;
  }

  @Override
  public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
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
   * The large buffer, emptied, with a reference for the decoder (which releases the cumulation
   * once read); a new one if it is too small or still referenced elsewhere (a payload slice not
   * yet released, or the current cumulation itself).
   */
  private ByteBuf reusable(ByteBufAllocator alloc, int need) {
    if (large.refCnt() != 1 || large.capacity() < need) {
      large.release();
      large = alloc.directBuffer(need);
    }
    return large.retain().clear();
  }

  /** Drops the reused buffer (the connection is closing). */
  void release() {
    large.release();
    large = Unpooled.EMPTY_BUFFER;
  }
}
