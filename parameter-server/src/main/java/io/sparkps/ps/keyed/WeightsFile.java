package io.sparkps.ps.keyed;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.util.UUID;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One shard's part of a keyed model's weights, as the model directory holds it: the weights
 * only (no optimizer state), in ascending key order, written in bounded memory (one block of
 * about 1 MB plus the table's sorted keys, 8 bytes per key). FTRL rows that are all zeros are
 * not written (L1 made them exact zeros). {@code parameter-server/KEYED.md} gives the layout;
 * {@link WeightsFileReader} reads it.
 *
 * <p>Layout, big-endian counts and little-endian keys and floats: the header ("SPKW", format,
 * width, shard, shards, sharding seed, the declaration's model JSON and init seed, the key
 * count, the shard's tail slice: start, length, floats) and its CRC-32; blocks of at most
 * {@link #blockKeys} records, each an int count, {@code count x (long key, width floats)} and
 * the CRC-32 of the block; a count of 0; the block index (count, then per block its first key,
 * last key and file offset) and its CRC-32; and a trailer: the index's offset and "SPKW".
 */
public final class WeightsFile {
  static final int MAGIC = 0x53504B57;
  static final int FORMAT = 1;
  static final int BLOCK_BYTES = 1 << 20;
  /** Trailer bytes: the index offset and the magic. */
  static final int TRAILER = 12;

  private WeightsFile() {
  }

  /** Records per block for rows of {@code width} floats. */
  static int blockKeys(int width) {
    return Math.max(1, BLOCK_BYTES / recordBytes(width));
  }

  static int recordBytes(int width) {
    return Long.BYTES + Float.BYTES * width;
  }

  /** Where the part's rows and tail come from, and what the header says about them. */
  public record Part(KeyedTable table, TableSpec spec, int shard, int shards, int tailStart,
      float[] tail) {}

  /** Where part {@code shard} of {@code shards} lies in a model directory. */
  public static URI partUri(URI modelDir, int shard, int shards) {
    return new Path(new Path(modelDir), String.format("keyed/part-%05d-of-%05d.spkw", shard,
        shards)).toUri();
  }

  /**
   * Writes {@code part} into the model directory {@code modelDir} (any Hadoop file system)
   * atomically: under a temporary name, synced, then renamed over any earlier part of the same
   * name. Returns the keys written.
   */
  public static long writeTo(URI modelDir, Part part) throws IOException {
    Path target = new Path(partUri(modelDir, part.shard(), part.shards()));
    FileSystem fs = FileSystem.get(target.toUri(), new Configuration());
    fs.mkdirs(target.getParent());
    Path tmp = new Path(target.getParent(), "_tmp-" + target.getName() + "-" + UUID.randomUUID());
    long count;
    try (FSDataOutputStream raw = fs.create(tmp, true)) {
      BufferedOutputStream out = new BufferedOutputStream(raw, BLOCK_BYTES);
      count = write(part, out);
      out.flush();
      raw.hsync();
    } catch (IOException | RuntimeException e) {
      fs.delete(tmp, false);
      throw e;
    }
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(tmp, target)) {
      fs.delete(tmp, false);
      throw new IOException("could not rename " + tmp + " to " + target + "; check the model "
          + "directory's permissions");
    }
    return count;
  }

  /** Writes {@code part} to {@code out} (which it does not close); returns the keys written. */
  public static long write(Part part, OutputStream out) throws IOException {
    KeyedTable table = part.table();
    int width = table.width();
    long[] keys = table.sortedKeys();
    boolean skipZeros = table.optimizer() instanceof Ftrl;
    float[] record = new float[table.recordFloats()];
    float[] row = new float[width];
    long count = keys.length; // every key's row, unless FTRL's all-zero rows are left out
    if (skipZeros) {
      count = 0;
      for (long k : keys) {
        count += weights(table, k, record, row, true) ? 1 : 0;
      }
    }
    CountingOutput counting = new CountingOutput(out);
    DataOutputStream data = new DataOutputStream(counting);
    byte[] header = header(part, count);
    data.write(header);
    data.writeInt(crc(header, header.length));
    int perBlock = blockKeys(width);
    ByteBuffer block = ByteBuffer.allocate(4 + perBlock * recordBytes(width));
    ByteBuffer index = ByteBuffer.allocate(4 + 24 * (int) ((count + perBlock - 1) / perBlock));
    index.putInt(0);
    int blocks = 0;
    int n = 0;
    for (int i = 0; i <= keys.length; i++) {
      boolean take = i < keys.length && weights(table, keys[i], record, row, skipZeros);
      if (take && n == 0) {
        block.clear().order(ByteOrder.BIG_ENDIAN).putInt(0).order(ByteOrder.LITTLE_ENDIAN);
        index.putLong(keys[i]).putLong(0).putLong(counting.written);
        blocks++;
      }
      if (take) {
        block.putLong(keys[i]);
        for (float f : row) {
          block.putFloat(f);
        }
        n++;
        index.putLong(index.position() - 16, keys[i]);
      }
      if (n > 0 && (n == perBlock || i == keys.length)) {
        block.order(ByteOrder.BIG_ENDIAN).putInt(0, n);
        data.write(block.array(), 0, block.position());
        data.writeInt(crc(block.array(), block.position()));
        n = 0;
      }
    }
    data.writeInt(0);
    long indexOffset = counting.written;
    index.putInt(0, blocks);
    data.write(index.array(), 0, index.position());
    data.writeInt(crc(index.array(), index.position()));
    data.writeLong(indexOffset);
    data.writeInt(MAGIC);
    data.flush();
    return count;
  }

  private static byte[] header(Part p, long count) {
    byte[] model = p.spec().modelJson().getBytes(StandardCharsets.UTF_8);
    ByteBuffer h = ByteBuffer.allocate(64 + model.length + 4 * p.tail().length);
    h.putInt(MAGIC).putInt(FORMAT).putInt(p.table().width()).putInt(p.shard())
        .putInt(p.shards()).putLong(p.spec().shardingSeed()).putInt(model.length).put(model)
        .putLong(p.spec().initSeed()).putLong(count).putInt(p.tailStart())
        .putInt(p.tail().length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : p.tail()) {
      h.putFloat(f);
    }
    return java.util.Arrays.copyOf(h.array(), h.position());
  }

  /** Reads a key's weights into {@code row}; false when they are all zeros and skipped. */
  private static boolean weights(KeyedTable t, long key, float[] record, float[] row,
      boolean skipZeros) {
    t.readRecord(key, record, 0);
    t.optimizer().weights(record, 0, t.width(), row, 0);
    if (!skipZeros) {
      return true;
    }
    for (float f : row) {
      if (f != 0f) {
        return true;
      }
    }
    return false;
  }

  static int crc(byte[] b, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, 0, len);
    return (int) crc.getValue();
  }

  /** Counts the bytes written, for the block index's offsets. */
  private static final class CountingOutput extends java.io.FilterOutputStream {
    private long written;

    CountingOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      written += len;
    }
  }
}
