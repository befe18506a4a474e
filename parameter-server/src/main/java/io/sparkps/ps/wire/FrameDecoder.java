package io.sparkps.ps.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.sparkps.ps.api.ErrorCode;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads frames: the length is checked against the limit as soon as its four bytes arrive, before
 * any of the payload is read (Netty's fail-fast {@link LengthFieldBasedFrameDecoder}); then the
 * magic, the version and the Kryo header are parsed, and the payload is passed on as a slice of
 * the received buffer (a frame that arrives in several reads is gathered by a
 * {@link FrameCumulator}). A frame that starts and then stalls for {@code frameTimeoutMillis} is
 * reported as truncated. Decoding errors surface as {@link FrameException} (wrapped by Netty in a
 * {@code DecoderException}). One instance per connection.
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {
  private final Kryo kryo = MessageKryo.create();
  private final int maxFrameBytes;
  private int limit;
  private final long frameTimeoutNanos;
  private final TrafficCounter traffic;
  private long lastReadNanos;
  private ScheduledFuture<?> stallCheck;
  private boolean failed;
  private final FrameCumulator cumulator = new FrameCumulator();
  private boolean landing;

  public FrameDecoder(int maxFrameBytes, long frameTimeoutMillis, TrafficCounter traffic) {
    super(maxFrameBytes + 4, 0, 4, 0, 0, true);
    this.maxFrameBytes = maxFrameBytes;
    this.limit = maxFrameBytes;
    this.frameTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(frameTimeoutMillis);
    this.traffic = traffic;
    setCumulator(cumulator);
  }

  /**
   * Lowers the frame limit until {@link #lift()} (a server keeps unauthenticated peers to a
   * hello-sized limit, so they cannot make it buffer large frames).
   */
  public FrameDecoder limitTo(int bytes) {
    this.limit = Math.min(bytes, maxFrameBytes);
    return this;
  }

  /**
   * The allocator for the socket reads of this decoder's channel: {@code delegate}'s buffers,
   * except while a frame of an authenticated peer is arriving, whose rest is then read straight
   * into the frame's buffer (see {@link FrameCumulator}). Only for a channel whose reads reach
   * this decoder unchanged (no TLS).
   */
  public RecvByteBufAllocator receiveInto(RecvByteBufAllocator delegate) {
    landing = true;
    return () -> new RecvByteBufAllocator.DelegatingHandle(delegate.newHandle()) {
      @Override
      public ByteBuf allocate(ByteBufAllocator alloc) {
        ByteBuf b = cumulator.offer();
        return b != null ? b : delegate().allocate(alloc);
      }
    };
  }

  /** Restores the full limit given at construction. */
  public void lift() {
    this.limit = maxFrameBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    lastReadNanos = System.nanoTime();
    super.channelRead(ctx, msg);
    if (!failed && actualReadableBytes() > 0 && stallCheck == null) {
      scheduleStallCheck(ctx, frameTimeoutNanos);
    }
  }

  private void scheduleStallCheck(ChannelHandlerContext ctx, long delayNanos) {
    stallCheck = ctx.executor().schedule(() -> checkStall(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void checkStall(ChannelHandlerContext ctx) {
    stallCheck = null;
    if (failed || actualReadableBytes() == 0 || !ctx.channel().isActive()) {
      return;
    }
    long idle = System.nanoTime() - lastReadNanos;
    if (idle < frameTimeoutNanos) {
      scheduleStallCheck(ctx, frameTimeoutNanos - idle);
      return;
    }
    failed = true;
    ctx.fireExceptionCaught(new FrameException(ErrorCode.TRUNCATED_FRAME, "a frame stopped after "
        + actualReadableBytes() + " bytes and nothing more arrived for "
        + TimeUnit.NANOSECONDS.toMillis(frameTimeoutNanos) + " ms; the sender must write whole "
        + "frames (length field included)."));
  }

  @Override
  protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return null;
    }
    if (in.readableBytes() >= 4) {
      int length = in.getInt(in.readerIndex());
      checkLength(length);
      // within the limit, so an unauthenticated peer cannot make the cumulator reserve much
      cumulator.expect(in.readableBytes() < 4 + length ? 4 + length : 0);
      if (landing && limit == maxFrameBytes) {
        // an authenticated peer (it holds the job token) may have its frame reserved whole
        cumulator.land(ctx.alloc(), in.readableBytes());
      }
    } else {
      cumulator.expect(0);
    }
    ByteBuf frame = (ByteBuf) super.decode(ctx, in);
    if (frame == null) {
      return null;
    }
    try {
      traffic.received(frame.readableBytes());
      return parse(frame);
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    } finally {
      frame.release();
    }
  }

  private void checkLength(int length) {
    if (length < Protocol.PREFIX_BYTES) {
      failed = true;
      throw new FrameException(ErrorCode.MALFORMED_FRAME, "frame length must be at least "
          + Protocol.PREFIX_BYTES + " bytes, got " + length + "; the stream is not SparkPS frames.");
    }
    if (length > limit) {
      failed = true;
      throw new FrameException(ErrorCode.FRAME_TOO_LARGE, "frame length " + length
          + " bytes is over this endpoint's limit of " + limit + " bytes" + (limit < maxFrameBytes
          ? " before authentication; send the hello first." : "; send smaller frames (more "
          + "shards) or raise the limit (--max-frame-bytes)."));
    }
  }

  private Frame parse(ByteBuf frame) {
    frame.skipBytes(4);
    int magic = frame.readInt();
    if (magic != Protocol.MAGIC) {
      throw new FrameException(ErrorCode.MALFORMED_FRAME, String.format("frame magic must be "
          + "0x%08X, got 0x%08X; the peer does not speak the SparkPS protocol.",
          Protocol.MAGIC, magic));
    }
    int version = frame.readUnsignedByte();
    if (version != Protocol.VERSION) {
      throw new FrameException(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + version
          + " is not supported; this endpoint speaks version " + Protocol.VERSION
          + " only. Use client and server from the same SparkPS release.", version);
    }
    int headerBytes = frame.readUnsignedShort();
    int payloadBytes = frame.readableBytes() - headerBytes;
    if (payloadBytes < 0 || payloadBytes % Float.BYTES != 0) {
      throw new FrameException(ErrorCode.MALFORMED_FRAME, "frame header length " + headerBytes
          + " leaves " + payloadBytes + " payload bytes, which must be a non-negative multiple "
          + "of 4 (whole floats).");
    }
    Message header = readHeader(frame, headerBytes);
    ByteBuf payload = frame.readRetainedSlice(payloadBytes);
    return new Frame(header, payload);
  }

  private Message readHeader(ByteBuf frame, int headerBytes) {
    byte[] bytes = new byte[headerBytes];
    frame.readBytes(bytes);
    try {
      return MessageKryo.read(kryo, new Input(bytes));
    } catch (RuntimeException | Error e) {
      // whatever a hostile header provokes in Kryo (Errors included) is one refusal, not a crash
      throw new FrameException(ErrorCode.MALFORMED_FRAME, "frame header of " + headerBytes
          + " bytes could not be read (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "); the sender wrote a corrupt or foreign header.");
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (stallCheck != null) {
      stallCheck.cancel(false);
    }
    cumulator.release();
  }
}
