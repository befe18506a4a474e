package io.sparkps.ps.checkpoint;

import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.ShardRanges;
import io.sparkps.ps.keyed.KeyedTable;
import io.sparkps.ps.keyed.TableSpec;
import io.sparkps.ps.keyed.TableStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.Optional;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one shard checkpoint: "SPCK", format version, the job fields, version, updates,
 * clocks, parameters, optimizer slots (floats little-endian), then a CRC-32 of everything before
 * it (written by {@link CheckpointStore}). A reader checks the CRC first, in a pass that allocates
 * nothing, and then every count against the bytes left and the shard's layout.
 */
final class CheckpointFormat {
  static final int MAGIC = 0x5350434B;
  static final int FORMAT = 1;
  /** Format 1's fields, then a keyed job's table declaration and its {@link TableStream}. */
  static final int KEYED_FORMAT = 2;
  private static final int CHUNK = 1 << 16;

  private CheckpointFormat() {}

  static void write(DataOutputStream out, ShardCheckpoint c) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(c.keyed().isPresent() ? KEYED_FORMAT : FORMAT);
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
    if (c.keyed().isPresent()) {
      writeKeyed(out, c.keyed().get());
    }
  }

  private static void writeKeyed(DataOutputStream out, ShardCheckpoint.Keyed k)
      throws IOException {
    TableSpec t = k.spec();
    out.writeInt(t.width());
    writeText(out, t.ruleJson());
    writeText(out, t.modelJson());
    out.writeLong(t.initSeed());
    out.writeLong(t.shardingSeed());
    out.writeLong(t.maxTableBytes());
    out.writeInt(t.tailLength());
    TableStream.write(k.table(), out);
  }

  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readText(DataInputStream in, Budget b, String what) throws IOException {
    b.take(4, what + " length");
    byte[] bytes = new byte[b.count(in.readInt(), 1 << 20, 1, what)];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Reads a keyed checkpoint's table declaration and its table (which ends the body): the
   * stream's own block bounds and CRCs guard it; nothing may follow it.
   */
  private static ShardCheckpoint.Keyed readKeyed(DataInputStream in, Budget b, long size)
      throws IOException {
    b.take(4, "row width");
    int width = in.readInt();
    String rule = readText(in, b, "sparse rule JSON");
    String model = readText(in, b, "model JSON");
    b.take(8 + 8 + 8 + 4, "keyed fields");
    long initSeed = in.readLong();
    long shardingSeed = in.readLong();
    long maxBytes = in.readLong();
    int tail = in.readInt();
    TableSpec spec;
    KeyedTable table;
    try {
      spec = new TableSpec(width, rule, model, initSeed, shardingSeed, maxBytes, tail);
      table = spec.newTable();
    } catch (IllegalArgumentException e) {
      throw new IOException("the checkpoint's keyed table declaration is not valid: "
          + e.getMessage(), e);
    }
    if (tail != size) {
      throw new IOException("the checkpoint's table declares a tail of " + tail + " floats, its "
          + "job one of " + size + ".");
    }
    LimitedInput rest = new LimitedInput(in, b.left);
    TableStream.read(rest, table, "the checkpoint's keyed table");
    if (rest.read() >= 0) {
      throw new IOException("the checkpoint has bytes after its keyed table.");
    }
    b.left = 0;
    return new ShardCheckpoint.Keyed(spec, table);
  }

  /** At most {@code left} bytes of another stream. */
  private static final class LimitedInput extends FilterInputStream {
    private long left;

    LimitedInput(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int c = super.read();
      if (c >= 0) {
        left--;
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  /**
   * Reads a checkpoint body of {@code bodyBytes} bytes (the file less its CRC, which the caller
   * has already checked). Every count is checked against the bytes left and against the shard's
   * layout before anything is allocated, so a damaged or hostile file fails with an
   * {@link IOException} naming the field instead of allocating what its length fields claim.
   */
  static ShardCheckpoint read(DataInputStream in, long bodyBytes) throws IOException {
    Budget b = new Budget(bodyBytes);
    b.take(8, "header");
    int magic = in.readInt();
    int format = in.readInt();
    if (magic != MAGIC || (format != FORMAT && format != KEYED_FORMAT)) {
      throw new IOException("not a SparkPS shard checkpoint of format " + FORMAT + " or "
          + KEYED_FORMAT + ".");
    }
    boolean keyed = format == KEYED_FORMAT;
    b.take(4 + 4 + 8 + 4 + 4, "job fields");
    int shardId = in.readInt();
    int totalShards = in.readInt();
    long size = in.readLong();
    int start = in.readInt();
    int length = keyed ? tailLayout(shardId, totalShards, size, start)
        : layout(shardId, totalShards, size, start).length(shardId);
    byte[] json = new byte[b.count(in.readInt(), 1 << 20, 1, "optimizer JSON bytes")];
    in.readFully(json);
    b.take(4 + 4 + 4 + 8 + 8 + 4, "round fields");
    int modeCode = in.readInt();
    int staleness = in.readInt();
    int partitions = in.readInt();
    long version = in.readLong();
    long updates = in.readLong();
    int clockCount = in.readInt();
    if (clockCount != partitions) {
      throw new IOException("the checkpoint holds " + clockCount + " partition clocks for a job "
          + "of " + partitions + " partitions.");
    }
    long[] clocks = new long[b.count(clockCount, 1 << 24, Long.BYTES, "partition clocks")];
    for (int i = 0; i < clocks.length; i++) {
      clocks[i] = in.readLong();
    }
    float[] params = readFloats(in, b, length, "parameters");
    b.take(4, "slot count");
    float[][] slots = new float[b.count(in.readInt(), 64, 0, "optimizer slots")][];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = readFloats(in, b, length, "optimizer slot " + i);
    }
    Optional<ShardCheckpoint.Keyed> table = keyed ? Optional.of(readKeyed(in, b, size))
        : Optional.empty();
    if (b.left != 0) {
      throw new IOException("the checkpoint has " + b.left + " bytes after its last field.");
    }
    return new ShardCheckpoint(shardId, totalShards, size, start,
        new String(json, StandardCharsets.UTF_8), modeCode, staleness, partitions, version,
        updates, clocks, params, slots, table);
  }

  private static ShardRanges layout(int shardId, int totalShards, long size, int start)
      throws IOException {
    if (totalShards < 1 || shardId < 0 || shardId >= totalShards || size < totalShards
        || size > Integer.MAX_VALUE) {
      throw new IOException("the checkpoint's layout (shard " + shardId + " of " + totalShards
          + ", " + size + " parameters) is impossible.");
    }
    ShardRanges ranges = new ShardRanges(size, totalShards);
    if (ranges.start(shardId) != start) {
      throw new IOException("the checkpoint says shard " + shardId + " of " + totalShards
          + " starts at " + start + "; that layout puts it at " + ranges.start(shardId) + ".");
    }
    return ranges;
  }

  /** Checks a keyed job's tail slice; returns its length (0 when the shard holds none). */
  private static int tailLayout(int shardId, int totalShards, long size, int start)
      throws IOException {
    if (totalShards < 1 || shardId < 0 || shardId >= totalShards || size < 0
        || size > Integer.MAX_VALUE - 8
        || KeyedJobSpec.tailStart(shardId, totalShards, (int) size) != start) {
      throw new IOException("the keyed checkpoint's layout (shard " + shardId + " of "
          + totalShards + ", a tail of " + size + " from " + start + ") is impossible.");
    }
    return KeyedJobSpec.tailStart(shardId + 1, totalShards, (int) size) - start;
  }

  /** The bytes of the body not yet read, charged before each allocation. */
  private static final class Budget {
    private long left;

    Budget(long left) {
      this.left = left;
    }

    void take(long bytes, String what) throws IOException {
      if (bytes > left) {
        throw new IOException("the checkpoint ends inside its " + what + " (" + left
            + " bytes left, " + bytes + " needed).");
      }
      left -= bytes;
    }

    /** Checks a count read from the file: within 0 to max, and its bytes still in the file. */
    int count(int n, int max, long bytesEach, String what) throws IOException {
      if (n < 0 || n > max) {
        throw new IOException("the checkpoint's count of " + what + " is " + n
            + ", outside 0 to " + max + ".");
      }
      take(n * bytesEach, what + " (" + n + ")");
      return n;
    }
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

  private static float[] readFloats(DataInputStream in, Budget b, int expected, String what)
      throws IOException {
    b.take(4, what + " length");
    int n = in.readInt();
    if (n != expected) {
      throw new IOException("the checkpoint holds " + n + " " + what + " where the shard's "
          + "range holds " + expected + ".");
    }
    float[] values = new float[b.count(n, Integer.MAX_VALUE - 8, Float.BYTES, what)];
    byte[] bytes = new byte[Math.min(CHUNK, Math.max(1, n)) * Float.BYTES];
    for (int off = 0; off < values.length; off += CHUNK) {
      int k = Math.min(CHUNK, values.length - off);
      in.readFully(bytes, 0, k * Float.BYTES);
      ByteBuffer.wrap(bytes, 0, k * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
          .get(values, off, k);
    }
    return values;
  }
}
