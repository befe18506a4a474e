package io.sparkps.bench.compare;

import io.sparkps.core.data.ExampleBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@link ExampleBlock} in a file, so that every trainer's JVM reads the very same rows: an
 * 16-byte header ({@code SPSB}, version 1, rows, cols), then the features row-major and the
 * labels, as little-endian floats. Written atomically (temporary file, then rename).
 */
public final class BlockFile {
  private static final int MAGIC = 0x53505342; // "SPSB"
  private static final int VERSION = 1;
  private static final int HEADER = 16;

  private BlockFile() {
  }

  public static void write(ExampleBlock b, Path file) {
    long n = (long) b.rows() * b.cols();
    AtomicFiles.write(file, tmp -> {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(MAGIC).putInt(VERSION).putInt(b.rows()).putInt(b.cols()).flip();
        writeFully(ch, head);
        writeFloats(ch, b.features(), (int) n);
        writeFloats(ch, b.labels(), b.rows());
        ch.force(true);
      }
    });
  }

  public static ExampleBlock read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      while (head.hasRemaining() && ch.read(head) >= 0) {
        // fill the header
      }
      head.flip();
      if (head.remaining() < HEADER || head.getInt() != MAGIC) {
        throw new IllegalArgumentException(file + " is not a SparkPS benchmark block file "
            + "(bad magic); delete the cache folder and run the comparison again");
      }
      int version = head.getInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(file + " has block-file version " + version
            + ", this build reads " + VERSION + "; delete the cache folder");
      }
      int rows = head.getInt();
      int cols = head.getInt();
      long expected = HEADER + 4L * ((long) rows * cols + rows);
      if (ch.size() != expected) {
        throw new IllegalArgumentException(file + " holds " + ch.size() + " bytes, a " + rows
            + " x " + cols + " block needs " + expected + " (truncated?); delete the cache folder");
      }
      float[] f = readFloats(ch, rows * cols);
      float[] y = readFloats(ch, rows);
      return new ExampleBlock(rows, cols, f, y);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void writeFloats(FileChannel ch, float[] v, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; ) {
      int k = Math.min(n - i, buf.capacity() / 4);
      buf.clear();
      buf.asFloatBuffer().put(v, i, k);
      buf.limit(4 * k);
      writeFully(ch, buf);
      i += k;
    }
  }

  private static float[] readFloats(FileChannel ch, int n) throws IOException {
    float[] v = new float[n];
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; ) {
      int k = Math.min(n - i, buf.capacity() / 4);
      buf.clear().limit(4 * k);
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          throw new IOException("unexpected end of file");
        }
      }
      buf.flip();
      buf.asFloatBuffer().get(v, i, k);
      i += k;
    }
    return v;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
