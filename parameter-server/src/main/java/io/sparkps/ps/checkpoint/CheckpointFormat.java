package io.sparkps.ps.checkpoint;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one shard checkpoint: "SPCK", format version, the job fields, version, updates,
 * clocks, parameters, optimizer slots (floats little-endian), then a CRC-32 of everything before
 * it (written by {@link CheckpointStore}).
 */
final class CheckpointFormat {
  static final int MAGIC = 0x5350434B;
  static final int FORMAT = 1;
  private static final int CHUNK = 1 << 16;

  private CheckpointFormat() {}

  static void write(DataOutputStream out, ShardCheckpoint c) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeInt(c.shardId());
    out.writeInt(c.totalShards());
    out.writeLong(c.size());
    out.writeInt(c.start());
    byte[] json = c.optimizerJson().getBytes(StandardCharsets.UTF_8);
    out.writeInt(json.length);
    out.write(json);
    out.writeInt(c.modeCode());
    out.writeInt(c.staleness());
    out.writeInt(c.partitions());
    out.writeLong(c.version());
    out.writeLong(c.updates());
    out.writeInt(c.clocks().length);
    for (long clock : c.clocks()) {
      out.writeLong(clock);
    }
    writeFloats(out, c.params());
    out.writeInt(c.slots().length);
    for (float[] slot : c.slots()) {
      writeFloats(out, slot);
    }
  }

  static ShardCheckpoint read(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
      throw new IOException("not a SparkPS shard checkpoint of format " + FORMAT + ".");
    }
    int shardId = in.readInt();
    int totalShards = in.readInt();
    long size = in.readLong();
    int start = in.readInt();
    byte[] json = new byte[bounded(in.readInt(), 1 << 20)];
    in.readFully(json);
    int modeCode = in.readInt();
    int staleness = in.readInt();
    int partitions = in.readInt();
    long version = in.readLong();
    long updates = in.readLong();
    long[] clocks = new long[bounded(in.readInt(), 1 << 24)];
    for (int i = 0; i < clocks.length; i++) {
      clocks[i] = in.readLong();
    }
    float[] params = readFloats(in);
    float[][] slots = new float[bounded(in.readInt(), 64)][];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = readFloats(in);
    }
    return new ShardCheckpoint(shardId, totalShards, size, start,
        new String(json, StandardCharsets.UTF_8), modeCode, staleness, partitions, version,
        updates, clocks, params, slots);
  }

  private static int bounded(int n, int max) throws IOException {
    if (n < 0 || n > max) {
      throw new IOException("checkpoint field count " + n + " is outside 0 to " + max + ".");
    }
    return n;
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer buf = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int off = 0; off < values.length; off += CHUNK) {
      int n = Math.min(CHUNK, values.length - off);
      buf.clear();
      buf.asFloatBuffer().put(values, off, n);
      out.write(buf.array(), 0, n * Float.BYTES);
    }
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    float[] values = new float[bounded(in.readInt(), Integer.MAX_VALUE - 8)];
    byte[] bytes = new byte[CHUNK * Float.BYTES];
    for (int off = 0; off < values.length; off += CHUNK) {
      int n = Math.min(CHUNK, values.length - off);
      in.readFully(bytes, 0, n * Float.BYTES);
      ByteBuffer.wrap(bytes, 0, n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
          .get(values, off, n);
    }
    return values;
  }
}
