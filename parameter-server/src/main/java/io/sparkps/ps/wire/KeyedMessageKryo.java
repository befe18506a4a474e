package io.sparkps.ps.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** The Kryo registrations of the keyed messages (type codes 38 to 42, added in protocol version 3). */
final class KeyedMessageKryo {

  private KeyedMessageKryo() {}

  static void register(Kryo k) {
    MessageKryo.reg(k, Message.InitKeyed.class, 38, KeyedMessageKryo::writeInitKeyed,
        KeyedMessageKryo::readInitKeyed);
    MessageKryo.reg(k, Message.KeyedPull.class, 39, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeLong(m.jobId());
      o.writeInt(m.shardId());
      o.writeLong(m.round());
      o.writeLong(m.deadlineMillis());
      o.writeInt(m.count());
    }, i -> new Message.KeyedPull(i.readLong(), i.readLong(), i.readInt(), i.readLong(),
        i.readLong(), i.readInt()));
    MessageKryo.reg(k, Message.KeyedRows.class, 40, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeInt(m.shardId());
      o.writeLong(m.version());
      o.writeInt(m.count());
      o.writeInt(m.width());
      o.writeInt(m.tailStart());
      o.writeInt(m.tailLength());
    }, i -> new Message.KeyedRows(i.readLong(), i.readInt(), i.readLong(), i.readInt(),
        i.readInt(), i.readInt(), i.readInt()));
    MessageKryo.reg(k, Message.KeyedPush.class, 41, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeLong(m.jobId());
      o.writeInt(m.shardId());
      o.writeLong(m.round());
      o.writeInt(m.partition());
      o.writeInt(m.attempt());
      o.writeLong(m.examples());
      o.writeDouble(m.lossSum());
      o.writeInt(m.payloadKind());
      o.writeInt(m.count());
    }, i -> new Message.KeyedPush(i.readLong(), i.readLong(), i.readInt(), i.readLong(),
        i.readInt(), i.readInt(), i.readLong(), i.readDouble(), i.readInt(), i.readInt()));
    MessageKryo.reg(k, Message.ExportKeyed.class, 42, (o, m) -> {
      o.writeLong(m.requestId());
      o.writeLong(m.jobId());
      o.writeInt(m.shardId());
      o.writeString(m.directory());
    }, i -> new Message.ExportKeyed(i.readLong(), i.readLong(), i.readInt(),
        BoundedInput.string(i, BoundedInput.MAX_TEXT_CHARS, "export directory")));
  }

  private static void writeInitKeyed(Output o, Message.InitKeyed m) {
    o.writeLong(m.requestId());
    o.writeLong(m.jobId());
    o.writeBoolean(m.replace());
    o.writeInt(m.shardId());
    o.writeInt(m.totalShards());
    o.writeInt(m.width());
    o.writeString(m.ruleJson());
    o.writeString(m.modelJson());
    o.writeLong(m.initSeed());
    o.writeLong(m.shardingSeed());
    o.writeLong(m.maxTableBytes());
    o.writeInt(m.tailLength());
    o.writeString(m.tailOptimizerJson());
    o.writeInt(m.modeCode());
    o.writeInt(m.staleness());
    o.writeInt(m.expectedPartitions());
  }

  private static Message.InitKeyed readInitKeyed(Input i) {
    return new Message.InitKeyed(i.readLong(), i.readLong(), i.readBoolean(), i.readInt(),
        i.readInt(), i.readInt(),
        BoundedInput.string(i, BoundedInput.MAX_TEXT_CHARS, "sparse rule JSON"),
        BoundedInput.string(i, BoundedInput.MAX_TEXT_CHARS, "model JSON"), i.readLong(),
        i.readLong(), i.readLong(), i.readInt(),
        BoundedInput.string(i, BoundedInput.MAX_TEXT_CHARS, "tail optimizer JSON"),
        i.readInt(), i.readInt(), i.readInt());
  }
}
