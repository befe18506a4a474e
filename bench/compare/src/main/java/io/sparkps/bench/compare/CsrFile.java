package io.sparkps.bench.compare;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One {@link SparseRows} block in a file, so that every trainer's JVM reads the very same sparse
 * rows: a 20-byte header ({@code SPSC}, version 1, rows, cols, non-zeros), then the row offsets,
 * the column indices, the values (floats), the fields (16-bit) and the labels (floats), all
 * big-endian. Written atomically (temporary file, then rename).
 */
public final class CsrFile {
  private static final int MAGIC = 0x53505343; // "SPSC"
  private static final int VERSION = 1;

  private CsrFile() {
  }

  public static void write(SparseRows s, Path file) {
    AtomicFiles.write(file, tmp -> {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          Files.newOutputStream(tmp), 1 << 16))) {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(s.rows());
        out.writeInt(s.cols());
        out.writeInt(s.nnz());
        for (int i = 0; i <= s.rows(); i++) {
          out.writeInt(s.offsets()[i]);
        }
        for (int k = 0; k < s.nnz(); k++) {
          out.writeInt(s.indices()[k]);
        }
        for (int k = 0; k < s.nnz(); k++) {
          out.writeFloat(s.values()[k]);
        }
        for (int k = 0; k < s.nnz(); k++) {
          out.writeShort(s.fields()[k]);
        }
        for (int i = 0; i < s.rows(); i++) {
          out.writeFloat(s.labels()[i]);
        }
      }
    });
  }

  public static SparseRows read(Path file) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException(file + " is not a SparkPS benchmark sparse-rows file "
            + "(bad magic); delete the cache folder and run the comparison again");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(file + " has sparse-rows version " + version
            + ", this build reads " + VERSION + "; delete the cache folder");
      }
      int rows = in.readInt();
      int cols = in.readInt();
      int nnz = in.readInt();
      long expected = 20 + 4L * (rows + 1) + 10L * nnz + 4L * rows;
      if (rows < 0 || cols < 1 || nnz < 0 || Files.size(file) != expected) {
        throw new IllegalArgumentException(file + " holds " + Files.size(file) + " bytes, "
            + rows + " rows with " + nnz + " non-zeros need " + expected
            + " (truncated?); delete the cache folder");
      }
      int[] offsets = new int[rows + 1];
      for (int i = 0; i <= rows; i++) {
        offsets[i] = in.readInt();
      }
      int[] indices = new int[nnz];
      for (int k = 0; k < nnz; k++) {
        indices[k] = in.readInt();
      }
      float[] values = new float[nnz];
      for (int k = 0; k < nnz; k++) {
        values[k] = in.readFloat();
      }
      short[] fields = new short[nnz];
      for (int k = 0; k < nnz; k++) {
        fields[k] = in.readShort();
      }
      float[] labels = new float[rows];
      for (int i = 0; i < rows; i++) {
        labels[i] = in.readFloat();
      }
      return new SparseRows(rows, cols, offsets, indices, values, fields, labels);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + " ends early (truncated?); delete the cache "
          + "folder", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
