package io.sparkps.ps.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.sparkps.ps.api.KeyedRoundStats;
import io.sparkps.ps.api.RoundStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The Kryo set-up for headers: registration required, one explicit serializer per message record
 * (Kryo 4 cannot construct records reflectively), and fixed registration ids that are the message
 * type codes of PROTOCOL.md. A Kryo instance is not thread-safe: each codec makes its own.
 */
public final class MessageKryo {

  /** Bytes of one round's statistics in a {@code HistoryReply} (64 + 7 keyed longs). */
  private static final int ROUND_STATS_BYTES = 120;

  private MessageKryo() {}

  /** A new Kryo instance that knows exactly the message records. */
  public static Kryo create() {
    Kryo k = new Kryo();
    k.setRegistrationRequired(true);
    k.setReferences(false);
    reg(k, Message.Hello.class, 20, (o, m) -> {
      o.writeString(m.token());
      o.writeInt(m.protocolVersion());
      o.writeString(m.clientName());
    }, i -> new Message.Hello(
        BoundedInput.string(i, BoundedInput.MAX_TOKEN_CHARS, "hello token"), i.readInt(),
        BoundedInput.string(i, BoundedInput.MAX_NAME_CHARS, "hello client name")));
    reg(k, Message.HelloOk.class, 21, (o, m) -> {
      o.writeInt(m.protocolVersion());
      o.writeInt(m.hostedShards().length);
      o.writeInts(m.hostedShards());
    }, i -> new Message.HelloOk(i.readInt(),
        i.readInts(BoundedInput.count(i, Integer.BYTES, 1_000_000, "hosted shard list"))));
    registerData(k);
    registerAdmin(k);
    KeyedMessageKryo.register(k);
    return k;
  }

  private static void registerData(Kryo k) {
    reg(k, Message.InitShard.class, 22, MessageKryo::writeInit, MessageKryo::readInit);
    reg(k, Message.Push.class, 23, MessageKryo::writePush, MessageKryo::readPush);
    reg(k, Message.PushAck.class, 24, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeInt(m.outcome());
    }, i -> new Message.PushAck(i.readLong(), i.readInt()));
    reg(k, Message.Pull.class, 25, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeLong(m.jobId());
      o.writeInt(m.shardId());
      o.writeLong(m.round());
      o.writeLong(m.deadlineMillis());
    }, i -> new Message.Pull(i.readLong(), i.readLong(), i.readInt(), i.readLong(),
        i.readLong()));
    reg(k, Message.Params.class, 26, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeInt(m.shardId());
      o.writeLong(m.version());
      o.writeLong(m.size());
      o.writeInt(m.start());
    }, i -> new Message.Params(i.readLong(), i.readInt(), i.readLong(), i.readLong(), i.readInt()));
    reg(k, Message.AwaitVersion.class, 27, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeLong(m.jobId());
      o.writeInt(m.shardId());
      o.writeLong(m.version());
      o.writeLong(m.deadlineMillis());
    }, i -> new Message.AwaitVersion(i.readLong(), i.readLong(), i.readInt(), i.readLong(),
        i.readLong()));
    reg(k, Message.PushPull.class, 37, (o, m) -> {
      writePush(o, m.push());
      o.writeLong(m.deadlineMillis());
    }, i -> new Message.PushPull(readPush(i), i.readLong()));
  }

  private static void registerAdmin(Kryo k) {
    reg(k, Message.Describe.class, 28, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeInt(m.shardId());
    }, i -> new Message.Describe(i.readLong(), i.readInt()));
    reg(k, Message.ShardInfo.class, 29, MessageKryo::writeInfo, MessageKryo::readInfo);
    reg(k, Message.Checkpoint.class, 30, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeLong(m.jobId());
      o.writeInt(m.shardId());
      o.writeLong(m.version());
    }, i -> new Message.Checkpoint(i.readLong(), i.readLong(), i.readInt(), i.readLong()));
    reg(k, Message.Restore.class, 31, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeLong(m.jobId());
      o.writeInt(m.shardId());
    }, i -> new Message.Restore(i.readLong(), i.readLong(), i.readInt()));
    reg(k, Message.History.class, 32, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeLong(m.jobId());
      o.writeInt(m.shardId());
      o.writeLong(m.fromRound());
    }, i -> new Message.History(i.readLong(), i.readLong(), i.readInt(), i.readLong()));
    reg(k, Message.HistoryReply.class, 33, MessageKryo::writeHistory, MessageKryo::readHistory);
    reg(k, Message.EndJob.class, 43, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeLong(m.jobId());
      o.writeInt(m.shardId());
    }, i -> new Message.EndJob(i.readLong(), i.readLong(), i.readInt()));
    reg(k, Message.Shutdown.class, 34, (o, m) -> o.writeLong(m.requestId()),
        i -> new Message.Shutdown(i.readLong()));
    reg(k, Message.Ack.class, 35, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeLong(m.value());
    }, i -> new Message.Ack(i.readLong(), i.readLong()));
    reg(k, Message.Error.class, 36, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeInt(m.code());
      o.writeBoolean(m.retryable());
      o.writeString(m.message());
    }, i -> new Message.Error(i.readLong(), i.readInt(), i.readBoolean(),
        BoundedInput.string(i, BoundedInput.MAX_TEXT_CHARS, "error message")));
  }

  private static void writeInit(Output o, Message.InitShard m) {
    o.writeLong(m.requestId());
    o.writeLong(m.jobId());
    o.writeBoolean(m.replace());
    o.writeInt(m.shardId());
    o.writeInt(m.totalShards());
    o.writeLong(m.size());
    o.writeString(m.optimizerJson());
    o.writeInt(m.modeCode());
    o.writeInt(m.staleness());
    o.writeInt(m.expectedPartitions());
    o.writeInt(m.initKind());
    o.writeLong(m.seed());
    o.writeFloat(m.scale());
  }

  private static Message.InitShard readInit(Input i) {
    return new Message.InitShard(i.readLong(), i.readLong(), i.readBoolean(), i.readInt(),
        i.readInt(), i.readLong(),
        BoundedInput.string(i, BoundedInput.MAX_TEXT_CHARS, "optimizer JSON"), i.readInt(),
        i.readInt(), i.readInt(), i.readInt(), i.readLong(), i.readFloat());
  }

  private static void writePush(Output o, Message.Push m) {
    o.writeLong(m.requestId());
    o.writeLong(m.jobId());
    o.writeInt(m.shardId());
    o.writeLong(m.round());
    o.writeInt(m.partition());
    o.writeInt(m.attempt());
    o.writeLong(m.examples());
    o.writeDouble(m.lossSum());
    o.writeInt(m.payloadKind());
  }

  private static Message.Push readPush(Input i) {
    return new Message.Push(i.readLong(), i.readLong(), i.readInt(), i.readLong(), i.readInt(),
        i.readInt(), i.readLong(), i.readDouble(), i.readInt());
  }

  private static void writeInfo(Output o, Message.ShardInfo m) {
    o.writeLong(m.requestId());
    o.writeLong(m.jobId());
    o.writeInt(m.shardId());
    o.writeInt(m.totalShards());
    o.writeLong(m.size());
    o.writeLong(m.version());
    o.writeInt(m.modeCode());
    o.writeInt(m.staleness());
    o.writeInt(m.expectedPartitions());
  }

  private static Message.ShardInfo readInfo(Input i) {
    return new Message.ShardInfo(i.readLong(), i.readLong(), i.readInt(), i.readInt(),
        i.readLong(), i.readLong(), i.readInt(), i.readInt(), i.readInt());
  }

  private static void writeHistory(Output o, Message.HistoryReply m) {
    o.writeLong(m.requestId());
    o.writeInt(m.rounds().size());
    for (RoundStats r : m.rounds()) {
      o.writeLong(r.round());
      o.writeInt(r.pushes());
      o.writeInt(r.duplicates());
      o.writeLong(r.examples());
      o.writeDouble(r.meanLoss());
      o.writeDouble(r.waitForSlowestMillis());
      o.writeDouble(r.applyMillis());
      o.writeLong(r.maxStaleness());
      o.writeLong(r.completedAtMillis());
      KeyedRoundStats k = r.keyed();
      o.writeLong(k.keysPulled());
      o.writeLong(k.keysPushed());
      o.writeLong(k.keysUpdated());
      o.writeLong(k.bytesIn());
      o.writeLong(k.bytesOut());
      o.writeLong(k.tableKeys());
      o.writeLong(k.tableBytes());
    }
  }

  private static Message.HistoryReply readHistory(Input i) {
    long requestId = i.readLong();
    int n = BoundedInput.count(i, ROUND_STATS_BYTES, Protocol.HISTORY_PAGE_ROUNDS, "history");
    List<RoundStats> rounds = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      rounds.add(new RoundStats(i.readLong(), i.readInt(), i.readInt(), i.readLong(),
          i.readDouble(), i.readDouble(), i.readDouble(), i.readLong(), i.readLong(),
          new KeyedRoundStats(i.readLong(), i.readLong(), i.readLong(), i.readLong(),
              i.readLong(), i.readLong(), i.readLong())));
    }
    return new Message.HistoryReply(requestId, rounds);
  }

  /**
   * Reads one header: a message record, or a {@link KryoException}. The class id is read here,
   * not by Kryo's class resolver: the resolver would read a class <em>name</em> (id 1) with
   * Kryo's unbounded string reader and look it up with {@code Class.forName}, and would read
   * null (id 0) or Kryo's built-in types (String, int, ...), whose String reader believes the
   * peer's length too. Only the ids of message records are read. (FrameFuzzTest found all three.)
   */
  public static Message read(Kryo kryo, Input input) {
    int id = input.readVarInt(true) - 2;
    Registration r = id >= 0 ? kryo.getClassResolver().getRegistration(id) : null;
    if (r == null || !Message.class.isAssignableFrom(r.getType())) {
      throw new KryoException("the header names type id " + id + (r == null ? "" : " ("
          + r.getType().getSimpleName() + ")") + ", which is not a message type (20 to 42).");
    }
    return (Message) kryo.readObject(input, r.getType());
  }

  static <T> void reg(
      Kryo kryo, Class<T> type, int id, BiConsumer<Output, T> writer, Function<Input, T> reader) {
    kryo.register(type, new Serializer<T>(false, true) {
      @Override
      public void write(Kryo k, Output output, T object) {
        writer.accept(output, object);
      }

      @Override
      public T read(Kryo k, Input input, Class<T> cls) {
        return reader.apply(input);
      }
    }, id);
  }
}
