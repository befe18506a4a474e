package io.sparkps.ps.keyed;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads one part file of a keyed model ({@link WeightsFile}) through the Hadoop
 * {@code FileSystem} API, in bounded memory: the header, the block index (24 bytes per block of
 * about 1 MB) and one block at a time. {@link #lookup} finds a sorted batch of keys by reading
 * only the blocks whose key range holds one of them; {@link #forEach} streams every row. Every
 * count is checked against the file's length and every block's CRC-32 before its rows are used.
 * Not thread-safe; close it.
 */
public final class WeightsFileReader implements AutoCloseable {
  private final String source;
  private final FSDataInputStream in;
  private final long length;
  private final int width;
  private final int shard;
  private final int shards;
  private final long shardingSeed;
  private final String modelJson;
  private final long initSeed;
  private final long keyCount;
  private final int tailStart;
  private final float[] tail;
  private final long[] firstKey;
  private final long[] lastKey;
  private final long[] offset;
  private byte[] block = new byte[0];
  /** Records of the block {@link #readBlock} read last. */
  private int blockCount;

  /** Where a row goes: key {@code key}'s {@code width} floats at {@code row[off]}. */
  @FunctionalInterface
  public interface RowConsumer {
    void accept(long key, float[] row, int off);
  }

  private WeightsFileReader(String source, FSDataInputStream in, long length) throws IOException {
    this.source = source;
    this.in = in;
    this.length = length;
    if (length < 64 + WeightsFile.TRAILER) {
      throw corrupt("it is " + length + " bytes, shorter than a header and trailer");
    }
    ByteBuffer h = ByteBuffer.wrap(bytes(0, (int) Math.min(length, 1 << 18)));
    if (h.getInt() != WeightsFile.MAGIC || h.getInt() != WeightsFile.FORMAT) {
      throw corrupt("it does not start with a keyed weights part of format " + WeightsFile.FORMAT);
    }
    width = h.getInt();
    shard = h.getInt();
    shards = h.getInt();
    shardingSeed = h.getLong();
    int modelBytes = h.getInt();
    if (width < 1 || width > KeyedTable.MAX_WIDTH || shards < 1 || shard < 0 || shard >= shards
        || modelBytes < 0 || modelBytes > h.remaining() - 24) {
      throw corrupt("its header holds width " + width + ", shard " + shard + " of " + shards
          + " and a model of " + modelBytes + " bytes");
    }
    byte[] model = new byte[modelBytes];
    h.get(model);
    modelJson = new String(model, StandardCharsets.UTF_8);
    initSeed = h.getLong();
    keyCount = h.getLong();
    tailStart = h.getInt();
    int tailLength = h.getInt();
    long headerBytes = 56L + modelBytes + 4L * tailLength;
    if (keyCount < 0 || keyCount > length / WeightsFile.recordBytes(width) || tailStart < 0
        || tailLength < 0 || headerBytes + 4 > length - WeightsFile.TRAILER) {
      throw corrupt("its header claims " + keyCount + " keys and a tail of " + tailLength
          + " floats, more than its " + length + " bytes hold");
    }
    ByteBuffer full = ByteBuffer.wrap(bytes(0, (int) headerBytes + 4));
    if (full.getInt((int) headerBytes) != WeightsFile.crc(full.array(), (int) headerBytes)) {
      throw corrupt("its header fails its CRC-32");
    }
    tail = new float[tailLength];
    full.position(56 + modelBytes);
    full.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(tail);
    ByteBuffer trailer = ByteBuffer.wrap(bytes(length - WeightsFile.TRAILER, WeightsFile.TRAILER));
    long indexAt = trailer.getLong();
    if (trailer.getInt() != WeightsFile.MAGIC || indexAt < headerBytes || indexAt > length - 20) {
      throw corrupt("its trailer is damaged (index at " + indexAt + ")");
    }
    int blocks = ByteBuffer.wrap(bytes(indexAt, 4)).getInt();
    if (blocks < 0 || 24L * blocks + 8 + indexAt > length - WeightsFile.TRAILER) {
      throw corrupt("its index claims " + blocks + " blocks");
    }
    byte[] index = bytes(indexAt, 4 + 24 * blocks + 4);
    if (ByteBuffer.wrap(index).getInt(4 + 24 * blocks) != WeightsFile.crc(index, 4 + 24 * blocks)) {
      throw corrupt("its block index fails its CRC-32");
    }
    ByteBuffer ix = ByteBuffer.wrap(index, 4, 24 * blocks);
    firstKey = new long[blocks];
    lastKey = new long[blocks];
    offset = new long[blocks];
    for (int b = 0; b < blocks; b++) {
      firstKey[b] = ix.getLong();
      lastKey[b] = ix.getLong();
      offset[b] = ix.getLong();
    }
  }

  /** Opens the part file at {@code uri} (any Hadoop file system). */
  public static WeightsFileReader open(URI uri) throws IOException {
    FileSystem fs = FileSystem.get(uri, new Configuration());
    Path p = new Path(uri);
    long length = fs.getFileStatus(p).getLen();
    FSDataInputStream in = fs.open(p);
    try {
      return new WeightsFileReader(uri.toString(), in, length);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  public int width() {
    return width;
  }

  public int shard() {
    return shard;
  }

  public int shards() {
    return shards;
  }

  /** The key sharding the model was trained with: which part holds a key. */
  public KeySharding sharding() {
    return new KeySharding(shards, shardingSeed);
  }

  /** The model whose rows initialized keys ("" for zeros), and its seed. */
  public String modelJson() {
    return modelJson;
  }

  public long initSeed() {
    return initSeed;
  }

  /** Keys the part holds. */
  public long keyCount() {
    return keyCount;
  }

  /** The dense tail's slice this part holds, from {@link #tailStart()}. */
  public float[] tail() {
    return tail.clone();
  }

  public int tailStart() {
    return tailStart;
  }

  /**
   * Looks up the ascending keys {@code keys[0, count)}: the rows of those found go to
   * {@code rows} ({@code width} floats per key, in the keys' order) with {@code found[i]} set;
   * the others are left alone (a key absent from the part was never pushed, or, under FTRL,
   * holds all zeros). Reads only the blocks whose key range holds a requested key. Returns the
   * number found.
   */
  public int lookup(long[] keys, int count, float[] rows, boolean[] found) throws IOException {
    int hits = 0;
    int k = 0;
    for (int b = 0; b < firstKey.length && k < count; b++) {
      while (k < count && keys[k] < firstKey[b]) {
        k++;
      }
      if (k == count || keys[k] > lastKey[b]) {
        continue;
      }
      ByteBuffer r = readBlock(b);
      for (int j = 0; j < blockCount && k < count; j++) {
        long key = r.getLong();
        while (k < count && keys[k] < key) {
          k++;
        }
        if (k < count && keys[k] == key) {
          r.asFloatBuffer().get(rows, k * width, width);
          found[k++] = true;
          hits++;
        }
        r.position(r.position() + Float.BYTES * width);
      }
    }
    return hits;
  }

  /** Streams every row in ascending key order. */
  public void forEach(RowConsumer consumer) throws IOException {
    float[] row = new float[width];
    for (int b = 0; b < firstKey.length; b++) {
      ByteBuffer r = readBlock(b);
      for (int j = 0; j < blockCount; j++) {
        long key = r.getLong();
        r.asFloatBuffer().get(row);
        r.position(r.position() + Float.BYTES * width);
        consumer.accept(key, row, 0);
      }
    }
  }

  /**
   * Block {@code b}, its count and CRC checked, as a little-endian buffer at its first record;
   * its record count in {@link #blockCount}.
   */
  private ByteBuffer readBlock(int b) throws IOException {
    int perBlock = WeightsFile.blockKeys(width);
    byte[] countBytes = bytes(offset[b], 4);
    int n = ByteBuffer.wrap(countBytes).getInt();
    int bytes = 4 + n * WeightsFile.recordBytes(width);
    if (n < 1 || n > perBlock || offset[b] + bytes + 4 > length) {
      throw corrupt("block " + b + " claims " + n + " records (1 to " + perBlock + ")");
    }
    if (block.length < bytes + 4) {
      block = new byte[4 + perBlock * WeightsFile.recordBytes(width) + 4];
    }
    in.readFully(offset[b], block, 0, bytes + 4);
    if (ByteBuffer.wrap(block).getInt(bytes) != WeightsFile.crc(block, bytes)) {
      throw corrupt("block " + b + " fails its CRC-32");
    }
    blockCount = n;
    return ByteBuffer.wrap(block, 4, bytes - 4).order(ByteOrder.LITTLE_ENDIAN);
  }

  private byte[] bytes(long at, int n) throws IOException {
    byte[] b = new byte[n];
    in.readFully(at, b, 0, n);
    return b;
  }

  private IOException corrupt(String what) {
    return new IOException(source + " is not a complete keyed weights part: " + what + "; "
        + "export the model again");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
