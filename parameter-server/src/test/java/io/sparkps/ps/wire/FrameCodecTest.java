package io.sparkps.ps.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.RoundStats;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Encoder and decoder against each other and against the byte layout of PROTOCOL.md. */
@Timeout(10)
class FrameCodecTest {

  private static ByteBuf encode(Frame f) {
    EmbeddedChannel out = new EmbeddedChannel(new FrameEncoder(TrafficCounterStub.INSTANCE));
    out.writeOutbound(f);
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b = out.readOutbound(); b != null; b = out.readOutbound()) {
      all.writeBytes(b);
      b.release();
    }
    return all;
  }

  private static Frame decode(ByteBuf bytes, int maxFrame) {
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(maxFrame, 1000,
        TrafficCounterStub.INSTANCE));
    in.writeInbound(bytes);
    return in.readInbound();
  }

  @Test
  void everyMessageRoundTrips() {
    List<Message> all = List.of(
        new Message.Hello("token-123456", 1, "w"), new Message.HelloOk(1, new int[] {0, 3}),
        new Message.InitShard(1, 77, true, 0, 2, 10, "{}", 1, 2, 3, 1, 42, 0.5f),
        new Message.Push(2, 77, 1, 5, 3, 1, 100, 2.5, 1),
        new Message.PushPull(new Message.Push(3, 77, 1, 5, 3, 1, 100, 2.5, 0), 900),
        new Message.PushAck(4, 1), new Message.Pull(5, 77, 0, 7, 1000),
        new Message.Params(6, 0, 7, 10, 5), new Message.AwaitVersion(7, 77, 1, 3, 50),
        new Message.Describe(8, 0), new Message.ShardInfo(9, 77, 0, 2, 10, 3, 1, 2, 4),
        new Message.Checkpoint(10, 77, 1, 4), new Message.Restore(11, 77, 0),
        new Message.History(12, 77, 0, 3),
        new Message.HistoryReply(13, List.of(new RoundStats(3, 4, 1, 40, 0.5, 1.5, 0.2, 0, 99),
            new RoundStats(4, 2, 0, 8, 0.5, 1, 0.1, 0, 100,
                new io.sparkps.ps.api.KeyedRoundStats(5, 6, 4, 128, 48, 4, 4096)))),
        new Message.InitKeyed(17, 77, true, 1, 3, 9, "{\"type\":\"ftrl\"}", "", 5, 6,
            1 << 20, 4, "{\"type\":\"sgd\"}", 0, 0, 2),
        new Message.KeyedPull(18, 77, 2, 3, 1000, 5000),
        new Message.KeyedRows(19, 2, 3, 5000, 9, 2, 1),
        new Message.KeyedPush(20, 77, 2, 3, 1, 0, 64, 1.5, 1, 5000),
        new Message.ExportKeyed(21, 77, 2, "hdfs://nn/models/ctr"),
        new Message.Shutdown(14), new Message.Ack(15, 3),
        new Message.Error(16, ErrorCode.UNKNOWN_ROUND.wireCode(), false, "why"));
    for (Message m : all) {
      Frame f = decode(encode(Frame.of(m)), 1 << 20);
      if (m instanceof Message.HelloOk ok) {
        assertArrayEquals(ok.hostedShards(), ((Message.HelloOk) f.header()).hostedShards());
      } else if (m instanceof Message.PushPull pp) {
        assertEquals(pp.push(), ((Message.PushPull) f.header()).push());
      } else {
        assertEquals(m, f.header());
      }
      assertEquals(0, f.floatCount());
      f.release();
    }
  }

  /** A reply too large to encode goes out as an error for its request, never as nothing. */
  @Test
  void aReplyThatCannotBeEncodedBecomesAnErrorForItsRequest() {
    java.util.List<io.sparkps.ps.api.RoundStats> rounds = new java.util.ArrayList<>();
    for (int i = 0; i < 5000; i++) { // about 300 KB of header, over the 64 KB limit
      rounds.add(new io.sparkps.ps.api.RoundStats(i, 2, 0, 100, 0.5, 1, 1, 0, i));
    }
    Frame f = decode(encode(Frame.of(new Message.HistoryReply(77, rounds))), 1 << 20);
    Message.Error e = (Message.Error) f.header();
    assertEquals(77, e.requestId());
    assertEquals(io.sparkps.ps.api.ErrorCode.INTERNAL.wireCode(), e.code());
    assertTrue(e.message().startsWith("the server could not encode its HistoryReply reply ("),
        e.message());
  }

  @Test
  void layoutIsLengthMagicVersionHeaderThenLittleEndianFloats() {
    float[] values = {1.5f, -2f, 3.25f};
    ByteBuf payload = Payloads.fromFloats(ByteBufAllocator.DEFAULT, values, 0, 3);
    ByteBuf bytes = encode(new Frame(new Message.Ack(1, 2), payload));
    int length = bytes.getInt(0);
    assertEquals(bytes.readableBytes() - 4, length);
    assertEquals(Protocol.MAGIC, bytes.getInt(4));
    assertEquals(Protocol.VERSION, bytes.getByte(8));
    int header = bytes.getUnsignedShort(9);
    assertEquals(Float.floatToIntBits(1.5f),
        bytes.order(ByteOrder.LITTLE_ENDIAN).getInt(11 + header));
    Frame f = decode(bytes, 1 << 20);
    assertArrayEquals(values, Payloads.toFloats(f.payload()));
    f.release();
  }

  @Test
  void lengthOverTheLimitFailsBeforeThePayloadArrives() {
    ByteBuf head = Unpooled.buffer().writeInt(10_000);
    DecoderException e = assertThrows(DecoderException.class, () -> decode(head, 4096));
    FrameException f = assertInstanceOf(FrameException.class, e.getCause());
    assertEquals(ErrorCode.FRAME_TOO_LARGE, f.code());
  }

  /**
   * Encoded frames, back to back: frame k is an ack with request id k and value {@code sizes[k]}
   * carrying the floats {@code k * 1e6 + i}.
   */
  private static ByteBuf framesOf(int[] sizes) {
    ByteBuf all = Unpooled.buffer();
    for (int k = 0; k < sizes.length; k++) {
      float[] v = new float[sizes[k]];
      for (int i = 0; i < v.length; i++) {
        v[i] = k * 1e6f + i;
      }
      ByteBuf bytes = encode(new Frame(new Message.Ack(k, sizes[k]),
          Payloads.fromFloats(ByteBufAllocator.DEFAULT, v, 0, v.length)));
      all.writeBytes(bytes);
      bytes.release();
    }
    return all;
  }

  /**
   * Checks the frames decoded so far against {@link #framesOf}, every float of them, and marks
   * each one's size -1.
   */
  private static void checkDecoded(EmbeddedChannel in, int[] sizes) {
    for (Frame f = in.readInbound(); f != null; f = in.readInbound()) {
      Message.Ack ack = (Message.Ack) f.header();
      float[] got = Payloads.toFloats(f.payload());
      assertEquals(sizes[(int) ack.requestId()], got.length);
      assertEquals(ack.value(), got.length);
      for (int i = 0; i < got.length; i++) {
        assertEquals(ack.requestId() * 1e6f + i, got[i]);
      }
      f.release();
      sizes[(int) ack.requestId()] = -1;
    }
  }

  @Test
  void framesSplitOverManyReadsDecodeWholeAndInOrder() {
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(64 << 20, 1000,
        TrafficCounterStub.INSTANCE));
    // a large frame (gathered in the reused buffer), a small one, then a larger large one, the
    // second frame starting inside the read that ends the first
    int[] sizes = {300_001, 5, 700_003, 300_001};
    ByteBuf all = framesOf(sizes);
    int[] reads = {3, 1000, 65_536, 7, 400_000};
    for (int r = 0; all.isReadable(); r++) {
      int n = Math.min(all.readableBytes(), reads[r % reads.length]);
      in.writeInbound(Unpooled.directBuffer(n).writeBytes(all, n));
      checkDecoded(in, sizes);
    }
    assertArrayEquals(new int[] {-1, -1, -1, -1}, sizes, "every frame decoded once");
    in.finishAndReleaseAll();
  }

  @Test
  void readsThroughTheReceiveAllocatorLandInTheFrameAndDecodeWholeAndInOrder() {
    FrameDecoder decoder = new FrameDecoder(64 << 20, 1000, TrafficCounterStub.INSTANCE);
    RecvByteBufAllocator.Handle reads = decoder.receiveInto(
        new AdaptiveRecvByteBufAllocator(512, 1024, 1024)).newHandle();
    EmbeddedChannel in = new EmbeddedChannel(decoder);
    int[] sizes = {300_001, 5, 700_003, 300_001, 2};
    ByteBuf all = framesOf(sizes);
    // as Netty's read loop: a buffer from the allocator, filled by a read of at most what the
    // socket holds (these amounts in turn), handed to the pipeline
    int[] socket = {3, 1000, 65_536, 7, 400_000, 1_000_000};
    int largest = 0;
    for (int r = 0; all.isReadable(); r++) {
      ByteBuf b = reads.allocate(in.alloc());
      largest = Math.max(largest, b.writableBytes());
      int n = Math.min(Math.min(all.readableBytes(), socket[r % socket.length]),
          b.writableBytes());
      in.writeInbound(b.writeBytes(all, n));
      checkDecoded(in, sizes);
    }
    assertArrayEquals(new int[] {-1, -1, -1, -1, -1}, sizes, "every frame decoded once");
    assertTrue(largest > 1_000_000, "the rest of the largest frame was offered to one read, "
        + "not the allocator's 1 KB: " + largest);
    in.finishAndReleaseAll();
  }

  /** Counts nothing. */
}
