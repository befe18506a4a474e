package io.sparkps.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads and writes {@code params.bin}: the parameters as little-endian IEEE-754 floats and
 * nothing else. Moves the bytes through one direct buffer a chunk at a time, so the file may
 * exceed the 2 GiB a single buffer can hold, and computes the CRC32C on the way.
 */
final class ParamsCodec {

  private static final int CHUNK_FLOATS = 1 << 18;

  private ParamsCodec() {
  }

  /** The checksum as written in headers: 8 lowercase hex digits. */
  static String hex(CRC32C crc) {
    return String.format("%08x", crc.getValue());
  }

  /** Writes and fsyncs {@code params} to a new file; returns the checksum of its bytes. */
  static String write(Path file, float[] params) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buf = ByteBuffer.allocateDirect(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      for (int off = 0; off < params.length; off += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, params.length - off);
        buf.clear();
        buf.asFloatBuffer().put(params, off, n);
        buf.limit(4 * n);
        crc.update(buf.duplicate());
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      ch.force(true);
    }
    return hex(crc);
  }

  /**
   * Reads {@code count} floats from {@code file}, checking its length and then its checksum
   * against {@code expectedChecksum}.
   */
  static float[] read(Path file, int count, String expectedChecksum) throws IOException {
    float[] params = new float[count];
    CRC32C crc = new CRC32C();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      checkLength(file, count, ch.size());
      ByteBuffer buf = ByteBuffer.allocateDirect(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
      for (int off = 0; off < count; off += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, count - off);
        buf.clear().limit(4 * n);
        while (buf.hasRemaining()) {
          if (ch.read(buf) < 0) {
            throw new ModelFormatException(file + " ended after " + ch.position() + " bytes while "
                + "being read; it changed during loading, so load the model again");
          }
        }
        buf.flip();
        crc.update(buf.duplicate());
        buf.asFloatBuffer().get(params, off, n);
      }
    }
    String actual = hex(crc);
    if (!actual.equals(expectedChecksum)) {
      throw new ModelFormatException(file + " is corrupt: its CRC32C checksum is " + actual
          + " but model.json expects " + expectedChecksum + "; the parameters were damaged after "
          + "writing, so restore the model from a backup or an earlier checkpoint");
    }
    return params;
  }

  private static void checkLength(Path file, int count, long size) throws ModelFormatException {
    long expected = 4L * count;
    if (size < expected) {
      throw new ModelFormatException(file + " is truncated: model.json declares " + count
          + " parameters, which take " + expected + " bytes, but the file has " + size
          + " bytes; the copy or write was interrupted, so copy the model again");
    }
    if (size > expected) {
      throw new ModelFormatException(file + " has " + size + " bytes but model.json declares "
          + count + " parameters, which take " + expected + " bytes; params.bin and model.json "
          + "belong to different models, so copy the whole model directory again");
    }
  }
}
