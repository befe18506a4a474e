package io.sparkps.ps.keyed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * A keyed table as a stream of records in ascending key order, for checkpoints and model files.
 * The streams are plain {@code java.io} ones, so Hadoop's {@code FileSystem.create} and
 * {@code open} supply them (and the caller writes under a temporary name and renames, as
 * {@code CheckpointStore} does).
 *
 * <p>Format 1, big-endian counts, little-endian floats: "SPKT", format, width, record floats,
 * the rule's length and UTF-8 text ({@link SparseOptimizer}'s {@code toString}), the key count,
 * the header's CRC-32; then blocks of at most {@link #blockKeys} records, each an int count,
 * {@code count x (long key, record floats)} and the CRC-32 of the count and the records; then a
 * count of 0. Memory is bounded by one block (about 1 MB) plus, when writing, the table's sorted
 * keys (8 bytes per key). A reader checks each count against its bound before allocating and
 * each block's CRC before storing any of its records, and restores into an empty table that the
 * caller discards if anything fails, so a damaged stream never yields a half-restored table.
 */
public final class TableStream {
  static final int MAGIC = 0x53504B54;
  static final int FORMAT = 1;
  private static final int BLOCK_BYTES = 1 << 20;
  private static final int MAX_RULE_BYTES = 4096;

  private TableStream() {
  }

  /** Records per block for records of {@code recordFloats} floats. */
  static int blockKeys(int recordFloats) {
    return Math.max(1, BLOCK_BYTES / recordBytes(recordFloats));
  }

  private static int recordBytes(int recordFloats) {
    return Long.BYTES + Float.BYTES * recordFloats;
  }

  /** Writes {@code table} to {@code out} (which it does not close). */
  public static void write(KeyedTable table, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    long[] keys = table.sortedKeys();
    int stride = table.recordFloats();
    byte[] rule = rule(table);
    ByteBuffer header = ByteBuffer.allocate(28 + rule.length);
    header.putInt(MAGIC).putInt(FORMAT).putInt(table.width()).putInt(stride)
        .putInt(rule.length).put(rule).putLong(keys.length);
    data.write(header.array());
    data.writeInt(crc(header.array(), header.array().length));
    int perBlock = blockKeys(stride);
    ByteBuffer block = ByteBuffer.allocate(4 + perBlock * recordBytes(stride))
        .order(ByteOrder.LITTLE_ENDIAN);
    float[] record = new float[stride];
    for (int from = 0; from < keys.length; from += perBlock) {
      int n = Math.min(perBlock, keys.length - from);
      block.clear();
      block.order(ByteOrder.BIG_ENDIAN).putInt(n).order(ByteOrder.LITTLE_ENDIAN);
      for (int k = from; k < from + n; k++) {
        table.readRecord(keys[k], record, 0);
        block.putLong(keys[k]);
        for (float f : record) {
          block.putFloat(f);
        }
      }
      data.write(block.array(), 0, block.position());
      data.writeInt(crc(block.array(), block.position()));
    }
    data.writeInt(0);
    data.flush();
  }

  /**
   * Reads a stream {@link #write} wrote into the empty {@code table}, which must have the
   * stream's width and rule; {@code source} names the stream in errors.
   */
  public static void read(InputStream in, KeyedTable table, String source) throws IOException {
    if (table.size() != 0) {
      throw new IllegalArgumentException("a keyed table is restored into an empty table; this "
          + "one holds " + table.size() + " keys");
    }
    DataInputStream data = new DataInputStream(in);
    long count;
    try {
      count = readHeader(data, table, source);
    } catch (EOFException e) {
      throw corrupt(source, "it ends inside its header");
    }
    int stride = table.recordFloats();
    int perBlock = blockKeys(stride);
    byte[] block = new byte[4 + perBlock * recordBytes(stride)];
    long read = 0;
    long last = Long.MIN_VALUE;
    while (true) {
      int n;
      try {
        n = data.readInt();
      } catch (EOFException e) {
        throw corrupt(source, "it ends after " + read + " of its " + count + " keys");
      }
      if (n == 0) {
        break;
      }
      if (n < 0 || n > perBlock || n > count - read) {
        throw corrupt(source, "a block of " + n + " records after " + read + " of " + count
            + " keys (a block holds 1 to " + perBlock + " records and the header promised " + count
            + ")");
      }
      int bytes = 4 + n * recordBytes(stride);
      ByteBuffer.wrap(block).putInt(n);
      if (readBlock(data, block, bytes, source, read, count) != crc(block, bytes)) {
        throw corrupt(source, "the block of keys " + read + " to " + (read + n - 1)
            + " fails its CRC-32");
      }
      last = store(ByteBuffer.wrap(block, 4, bytes - 4), n, table, read, last, source);
      read += n;
    }
    if (read != count) {
      throw corrupt(source, "it ends after " + read + " of its " + count + " keys");
    }
  }

  /** Stores a checked block's {@code n} records; returns the last key. */
  private static long store(ByteBuffer b, int n, KeyedTable table, long read, long last,
      String source) throws IOException {
    b.order(ByteOrder.LITTLE_ENDIAN);
    float[] record = new float[table.recordFloats()];
    for (int k = 0; k < n; k++) {
      long key = b.getLong();
      if (read + k > 0 && key <= last) {
        throw corrupt(source, "key " + key + " (record " + (read + k) + ") is not above the key "
            + "before it (" + last + ")");
      }
      last = key;
      for (int i = 0; i < record.length; i++) {
        record[i] = b.getFloat();
      }
      table.putRecord(key, record, 0);
    }
    return last;
  }

  private static long readHeader(DataInputStream data, KeyedTable table, String source)
      throws IOException {
    int magic = data.readInt();
    int format = data.readInt();
    if (magic != MAGIC || format != FORMAT) {
      throw corrupt(source, "it does not start with a keyed table of format " + FORMAT
          + " (magic " + Integer.toHexString(magic) + ", format " + format + ")");
    }
    int width = data.readInt();
    int stride = data.readInt();
    int ruleLength = data.readInt();
    if (width != table.width() || stride != table.recordFloats()
        || ruleLength < 0 || ruleLength > MAX_RULE_BYTES) {
      throw new IOException(source + " holds rows of " + width + " floats in records of "
          + stride + "; the table to restore has rows of " + table.width() + " in records of "
          + table.recordFloats() + ": restore with the job's own width and rule");
    }
    byte[] rule = new byte[ruleLength];
    data.readFully(rule);
    long count = data.readLong();
    ByteBuffer header = ByteBuffer.allocate(28 + ruleLength);
    header.putInt(magic).putInt(format).putInt(width).putInt(stride).putInt(ruleLength)
        .put(rule).putLong(count);
    if (data.readInt() != crc(header.array(), header.array().length)) {
      throw corrupt(source, "its header fails its CRC-32");
    }
    if (!java.util.Arrays.equals(rule, rule(table))) {
      throw new IOException(source + " was written by the rule "
          + new String(rule, StandardCharsets.UTF_8) + ", the table to restore uses "
          + table.optimizer() + ": restore with the job's own rule");
    }
    if (count < 0) {
      throw corrupt(source, "its key count is " + count);
    }
    return count;
  }

  /** Reads a block's records after its count into {@code b} and returns the stored CRC. */
  private static int readBlock(DataInputStream data, byte[] b, int bytes, String source,
      long read, long count) throws IOException {
    try {
      data.readFully(b, 4, bytes - 4);
      return data.readInt();
    } catch (EOFException e) {
      throw corrupt(source, "it ends inside the block after key " + read + " of " + count);
    }
  }

  private static byte[] rule(KeyedTable table) {
    return table.optimizer().toString().getBytes(StandardCharsets.UTF_8);
  }

  private static int crc(byte[] b, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, 0, len);
    return (int) crc.getValue();
  }

  private static IOException corrupt(String source, String what) {
    return new IOException(source + " is not a complete keyed table: " + what + "; restore an "
        + "earlier checkpoint");
  }
}
