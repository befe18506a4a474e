package io.sparkps.ps.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing of what a peer's bytes reach first: the frame decoder (length, magic, version, header,
 * payload, in one or two reads, before and after authentication) and the message readers of
 * every type (shared by server and client). Whatever the bytes, the decoder yields whole frames
 * or one {@link FrameException}, and a reader yields a message or a {@link KryoException};
 * anything else (another exception, an {@code OutOfMemoryError} from a length believed) is a
 * finding.
 *
 * <p>In {@code mvn verify} the two {@link FuzzTest}s run in Jazzer's regression mode over the
 * committed corpus ({@code src/test/resources/io/sparkps/ps/wire/FrameFuzzTestInputs/}), and the
 * two plain tests mutate that corpus at random for about a second each (seeded). Coverage-guided
 * fuzzing, on demand, one target at a time, for up to the annotation's duration:
 * {@code JAZZER_FUZZ=1 mvn -o -pl parameter-server test -Dtest='FrameFuzzTest#frameDecoder'
 * -Djazzer.hooks=true} (or {@code #messageReader}); a finding is written as a file under
 * {@code src/test/resources/.../FrameFuzzTestInputs/<target>/}: fix the code and commit the file,
 * which then runs in every build. This target found two holes, fixed in {@code MessageKryo}: a
 * header naming Kryo's built-in String type was read by Kryo's own, unbounded string reader,
 * and a header of Kryo's null made the client fail with a NullPointerException.
 */
class FrameFuzzTest {
  private static final Kryo KRYO = MessageKryo.create();

  /** Feeds the bytes in one or two reads to a fresh decoder, limited or lifted. */
  @FuzzTest(maxDuration = "10m")
  void frameDecoder(FuzzedDataProvider data) {
    boolean authenticated = data.consumeBoolean();
    int split = data.consumeInt(0, 1 << 16);
    decode(data.consumeRemainingAsBytes(), split, authenticated);
  }

  /** Reads one header with the Kryo set-up of every message type. */
  @FuzzTest(maxDuration = "10m")
  void messageReader(byte[] header) {
    read(header);
  }

  static void decode(byte[] bytes, int split, boolean authenticated) {
    FrameDecoder decoder = new FrameDecoder(1 << 20, 1_000, TrafficCounterStub.INSTANCE);
    if (!authenticated) {
      decoder.limitTo(Protocol.MAX_HELLO_FRAME_BYTES);
    }
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    try {
      int cut = Math.min(split, bytes.length);
      ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, cut));
      ch.writeInbound(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
    } catch (DecoderException e) {
      assertInstanceOf(FrameException.class, e.getCause(), "the decoder failed otherwise");
    } finally {
      for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
        Frame f = (Frame) o;
        assertEquals(0, f.payload().readableBytes() % Float.BYTES);
        f.release();
      }
      ch.finishAndReleaseAll();
    }
  }

  static void read(byte[] header) {
    try {
      assertInstanceOf(Message.class, MessageKryo.read(KRYO, new Input(header)));
    } catch (KryoException expected) {
      // a refusal: the one way a reader may fail
    }
  }

  /** The committed corpus of a target. */
  static List<byte[]> corpus(String target) {
    try {
      Path dir = Path.of(FrameFuzzTest.class.getResource("FrameFuzzTestInputs/" + target).toURI());
      List<byte[]> out = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.sorted().toList()) {
          out.add(Files.readAllBytes(f));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A seeded random mutation of {@code seed}: flips, overwrites, insertions and cuts. */
  static byte[] mutate(byte[] seed, SplittableRandom r) {
    byte[] b = seed.clone();
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(5)) {
        case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b[at] = (byte) r.nextInt(256);
        case 2 -> b[at] = (byte) (r.nextBoolean() ? 0xFF : 0x80);
        case 3 -> b = java.util.Arrays.copyOf(b, at);
        default -> {
          byte[] longer = new byte[b.length + 1 + r.nextInt(8)];
          System.arraycopy(b, 0, longer, 0, at);
          System.arraycopy(b, at, longer, longer.length - (b.length - at), b.length - at);
          for (int i = at; i < longer.length - (b.length - at); i++) {
            longer[i] = (byte) r.nextInt(256);
          }
          b = longer;
        }
      }
    }
    return b;
  }

  @Test
  @Timeout(30)
  void aShortRandomRunOfTheDecoderFindsNothing() {
    List<byte[]> seeds = corpus("frameDecoder").stream().map(b -> java.util.Arrays.copyOf(b,
        b.length - FuzzSeeds.TRAILER.length)).toList();
    assertTrue(seeds.size() >= 10, "the corpus is committed");
    SplittableRandom r = new SplittableRandom(16);
    long end = System.nanoTime() + 1_000_000_000L;
    int runs = 0;
    while (System.nanoTime() < end || runs < 2_000) {
      byte[] b = mutate(seeds.get(r.nextInt(seeds.size())), r);
      decode(b, r.nextInt(b.length + 1), r.nextBoolean());
      runs++;
    }
  }

  @Test
  @Timeout(30)
  void aShortRandomRunOfTheReadersFindsNothing() {
    List<byte[]> seeds = corpus("messageReader");
    assertTrue(seeds.size() >= 10, "the corpus is committed");
    SplittableRandom r = new SplittableRandom(17);
    long end = System.nanoTime() + 1_000_000_000L;
    int runs = 0;
    while (System.nanoTime() < end || runs < 20_000) {
      read(mutate(seeds.get(r.nextInt(seeds.size())), r));
      runs++;
    }
  }
}
