package io.sparkps.ps.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.sparkps.ps.api.ErrorCode;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link Frame} as length, magic, version, header length, Kryo header, then the payload
 * buffer itself (passed on as a second buffer, never copied). One instance per connection. A
 * frame whose header cannot be encoded goes out as an {@code INTERNAL} error for its request.
 */
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(FrameEncoder.class);
  private final Kryo kryo = MessageKryo.create();
  private final Output output = new Output(256, Protocol.MAX_HEADER_BYTES);
  private final TrafficCounter traffic;

  public FrameEncoder(TrafficCounter traffic) {
    super(Frame.class);
    this.traffic = traffic;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
    output.setPosition(0);
    try {
      kryo.writeClassAndObject(output, frame.header());
    } catch (KryoException e) {
      if (frame.header() instanceof Message.Error) {
        throw e;
      }
      // a reply that cannot be encoded (a header over the 64 KB limit) is answered with an
      // error naming its request, so the caller is not left waiting for a reply that never comes
      LOG.error("Cannot encode {} for request {}; answering with an error instead.",
          frame.header().getClass().getSimpleName(), frame.header().requestId(), e);
      frame.release();
      encode(ctx, Frame.of(new Message.Error(frame.header().requestId(),
          ErrorCode.INTERNAL.wireCode(), false, "the server could not encode its "
          + frame.header().getClass().getSimpleName() + " reply (" + e.getMessage()
          + "); see the server log.")), out);
      return;
    }
    int headerBytes = output.position();
    ByteBuf payload = frame.payload();
    int payloadBytes = payload.readableBytes();
    int length = Protocol.PREFIX_BYTES + headerBytes + payloadBytes;
    ByteBuf head = ctx.alloc().directBuffer(4 + Protocol.PREFIX_BYTES + headerBytes);
    head.writeInt(length);
    head.writeInt(Protocol.MAGIC);
    head.writeByte(frame.version());
    head.writeShort(headerBytes);
    head.writeBytes(output.getBuffer(), 0, headerBytes);
    out.add(head);
    if (payloadBytes > 0) {
      out.add(payload);
    } else {
      frame.release();
    }
    traffic.sent(4L + length);
  }
}
