package io.sparkps.ps.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.sparkps.ps.api.ErrorCode;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Length fields inside headers are checked before anything is allocated for them. */
@Timeout(10)
class HostileHeaderTest {
  private static final int CLAIMED = HostileFrames.CLAIMED;

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void aHelloWhoseTokenClaimsAGigacharIsRefusedWithoutAllocatingIt() {
    assertEquals(17, HostileFrames.hugeTokenHello().length);
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1 << 16, 1000,
        TrafficCounterStub.INSTANCE));
    long before = allocatedByThisThread();
    DecoderException e = assertThrows(DecoderException.class,
        () -> ch.writeInbound(Unpooled.wrappedBuffer(HostileFrames.hugeTokenHello())));
    long allocated = allocatedByThisThread() - before;
    FrameException f = assertInstanceOf(FrameException.class, e.getCause());
    assertEquals(ErrorCode.MALFORMED_FRAME, f.code());
    assertTrue(f.getMessage().contains("hello token claims " + CLAIMED + " characters"),
        f.getMessage());
    assertTrue(allocated < (8 << 20), "decoding the probe allocated " + allocated + " bytes");
  }

  @Test
  void everyVariableLengthFieldIsBoundedByTheBytesLeft() {
    // a string that claims 100 characters with 3 bytes left
    byte[] s = {(byte) (0x80 | (101 & 0x3F)), (byte) 1, 'a', 'b', 'c'};
    s[0] = (byte) (0x80 | 0x40 | (101 & 0x3F));
    KryoException e = assertThrows(KryoException.class,
        () -> BoundedInput.string(new Input(s), 1000, "x"));
    assertTrue(e.getMessage().contains("claims 100 characters but only 3 bytes"), e.getMessage());
    // an ASCII run longer than the field's limit
    byte[] ascii = "abcdefghij".getBytes();
    ascii[9] |= (byte) 0x80;
    e = assertThrows(KryoException.class, () -> BoundedInput.string(new Input(ascii), 4, "y"));
    assertTrue(e.getMessage().contains("over its limit of 4"), e.getMessage());
    // null is not a protocol string
    e = assertThrows(KryoException.class,
        () -> BoundedInput.string(new Input(new byte[] {(byte) 0x80}), 4, "z"));
    assertTrue(e.getMessage().contains("null"), e.getMessage());
    // an int array that claims more elements than bytes left
    byte[] count = ByteBuffer.allocate(8).putInt(1_000).putInt(7).array();
    e = assertThrows(KryoException.class,
        () -> BoundedInput.count(new Input(count), 4, 1_000_000, "shards"));
    assertTrue(e.getMessage().contains("claims 1000 elements"), e.getMessage());
  }

  /**
   * A header naming Kryo's built-in String type (id 1, written 3) instead of a message, with a
   * length of 2^30 characters: Kryo's own string reader would allocate it (found by fuzzing).
   */
  @Test
  void aHeaderNamingABuiltInTypeIsRefusedWithoutAllocating() {
    long n = CLAIMED + 1L;
    byte[] header = {3, (byte) (0x80 | 0x40 | (n & 0x3F)), (byte) (0x80 | ((n >>> 6) & 0x7F)),
        (byte) (0x80 | ((n >>> 13) & 0x7F)), (byte) (0x80 | ((n >>> 20) & 0x7F)),
        (byte) ((n >>> 27) & 0x7F)};
    long before = allocatedByThisThread();
    KryoException e = assertThrows(KryoException.class,
        () -> MessageKryo.read(MessageKryo.create(), new Input(header)));
    assertTrue(allocatedByThisThread() - before < (8 << 20));
    assertTrue(e.getMessage().contains("not a message type"), e.getMessage());
  }

  /** A header naming a class by name: Kryo would read the name unbounded and look it up. */
  @Test
  void aHeaderNamingAClassByNameIsRefused() {
    byte[] header = {1, 6, (byte) 0x80, (byte) 0x80, (byte) 0x80, 8};
    KryoException e = assertThrows(KryoException.class,
        () -> MessageKryo.read(MessageKryo.create(), new Input(header)));
    assertTrue(e.getMessage().contains("type id -1"), e.getMessage());
  }

  @Test
  void aHostileHeaderFromTheServerFailsTheClientReadInOneSentence() {
    // the client's reader is the same Kryo set-up; a reply claiming a huge error message
    byte[] header = {(byte) (36 + 2), 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5, 0,
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x03};
    KryoException e = assertThrows(KryoException.class,
        () -> MessageKryo.read(MessageKryo.create(), new Input(header)));
    assertTrue(e.getMessage().contains("error message claims"), e.getMessage());
  }
}
