package io.sparkps.ps.wire;

import com.esotericsoftware.kryo.io.Output;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.RoundStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the seed corpus of {@link FrameFuzzTest} (a program, run once when the message set
 * changes): one header and one whole frame per message type, plus the probes of issue 16.
 * {@code java -cp <test classpath> io.sparkps.ps.wire.FuzzSeeds src/test/resources/io/sparkps/ps/wire/FrameFuzzTestInputs}
 */
public final class FuzzSeeds {
  /**
   * What the decoder target's data provider takes from the end of its input (libFuzzer's
   * FuzzedDataProvider reads numbers from the end): a split point and an "authenticated" flag.
   */
  static final byte[] TRAILER = {0, 0, 0, 9, 1};

  private FuzzSeeds() {}

  static List<Message> messages() {
    return List.of(
        new Message.Hello("token-123456", Protocol.VERSION, "w"),
        new Message.HelloOk(Protocol.VERSION, new int[] {0, 3}),
        new Message.InitShard(1, 77, false, 0, 2, 10, "{\"type\":\"sgd\"}", 1, 2, 3, 1, 42, 0.5f),
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
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path headers = Files.createDirectories(root.resolve("messageReader"));
    Path frames = Files.createDirectories(root.resolve("frameDecoder"));
    var kryo = MessageKryo.create();
    int i = 0;
    for (Message m : messages()) {
      Output o = new Output(256, Protocol.MAX_HEADER_BYTES);
      kryo.writeClassAndObject(o, m);
      byte[] h = java.util.Arrays.copyOf(o.getBuffer(), o.position());
      String name = String.format("%02d-%s", i++, m.getClass().getSimpleName());
      Files.write(headers.resolve(name), h);
      float[] payload = m instanceof Message.Push || m instanceof Message.Params
          ? new float[] {1f, -2f} : new float[0];
      Files.write(frames.resolve(name), concat(frame(h, payload), TRAILER));
    }
    byte[] probe = HostileFrames.hugeTokenHello();
    Files.write(frames.resolve("90-huge-token-hello"), concat(probe, TRAILER));
    Files.write(headers.resolve("90-huge-token-hello"), java.util.Arrays.copyOfRange(probe, 11,
        probe.length));
    // found by fuzzing: a header naming a class by name (Kryo's class id 1)
    byte[] byName = {1, 6, (byte) 0x80, (byte) 0x80, (byte) 0x80, 8};
    Files.write(headers.resolve("91-class-by-name"), byName);
    Files.write(frames.resolve("91-class-by-name"), concat(frame(byName, new float[0]), TRAILER));
  }

  static byte[] frame(byte[] header, float[] payload) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(11 + header.length + 4 * payload.length);
    b.putInt(7 + header.length + 4 * payload.length).putInt(Protocol.MAGIC)
        .put((byte) Protocol.VERSION).putShort((short) header.length).put(header);
    b.order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float f : payload) {
      b.putFloat(f);
    }
    return b.array();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
