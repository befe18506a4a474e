package io.sparkps.ps.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes a {@link Frame} as length, magic, version, header length, Kryo header, then the payload
 * buffer itself (passed on as a second buffer, never copied). One instance per connection.
 */
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {
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
    kryo.writeClassAndObject(output, frame.header());
    int headerBytes = output.position();
    ByteBuf payload = frame.payload();
    int payloadBytes = payload.readableBytes();
    int length = Protocol.PREFIX_BYTES + headerBytes + payloadBytes;
    ByteBuf head = ctx.alloc().directBuffer(4 + Protocol.PREFIX_BYTES + headerBytes);
    head.writeInt(length);
    head.writeInt(Protocol.MAGIC);
    head.writeByte(Protocol.VERSION);
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
