package io.sparkps.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.train.PartitionWorker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SparseBlockTest {

  static SparseBlock random(int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    SparseBlockBuilder b = new SparseBlockBuilder(cols, 3);
    SparseRow row = new SparseRow();
    for (int i = 0; i < rows; i++) {
      row.clear();
      int n = rng.nextInt(5);
      for (int e = 0; e < n; e++) {
        row.add(rng.nextInt(cols), (float) rng.nextGaussian(), e % 3);
      }
      row.normalize();
      b.add(row, i);
    }
    return b.build();
  }

  @Test
  void theConstructorRefusesMalformedRows() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparseBlock.of(1, 10, new int[] {0, 2}, new int[] {4, 4}, new float[2],
            new float[1]));
    assertTrue(e.getMessage().contains("index 4 after 4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SparseBlock.of(1, 10,
        new int[] {0, 1}, new int[] {10}, new float[1], new float[1]));
    assertTrue(e.getMessage().contains("within [0, 10)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SparseBlock.of(2, 10,
        new int[] {0, 1}, new int[] {1}, new float[1], new float[2]));
    assertTrue(e.getMessage().contains("needs 3 row offsets"), e.getMessage());
  }

  @Test
  void shufflesKeepEveryRowWhole() {
    SparseBlock b = random(20000, 1000, 1);
    SparseBlock mixed = PartitionWorker.preShuffle(b, 3, 0);
    SparseBlock epoch = PartitionWorker.shuffle(mixed, 3, 2, 1);
    Map<Float, String> rows = new HashMap<>();
    for (int i = 0; i < b.rows(); i++) {
      rows.put(b.labels()[i], row(b, i));
    }
    int moved = 0;
    for (SparseBlock s : List.of(mixed, epoch)) {
      assertEquals(b.rows(), s.rows());
      assertEquals(b.nnz(), s.nnz());
      for (int i = 0; i < s.rows(); i++) {
        assertEquals(rows.get(s.labels()[i]), row(s, i), "row with label " + s.labels()[i]);
        moved += s.labels()[i] == i ? 0 : 1;
      }
    }
    assertTrue(moved > 2 * b.rows() * 0.99, "rows moved: " + moved);
    assertArrayEquals(epoch.indices(), PartitionWorker.shuffle(mixed, 3, 2, 1).indices(),
        "the same seed gives the same order");
  }

  @Test
  void concatAndDenseCopyKeepTheEntries() {
    SparseBlock a = random(7, 50, 2);
    SparseBlock b = random(5, 50, 3);
    SparseBlock ab = SparseBlock.concat(List.of(a, b), 50, 3);
    assertEquals(12, ab.rows());
    assertEquals(row(a, 6), row(ab, 6));
    assertEquals(row(b, 4), row(ab, 11));
    ExampleBlock dense = ab.toDense();
    for (int i = 0; i < ab.rows(); i++) {
      for (int e = ab.rowStart()[i]; e < ab.rowStart()[i + 1]; e++) {
        assertEquals(ab.values()[e], dense.feature(i, ab.indices()[e]));
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparseBlock.of(70000, 1 << 20, new int[70001], new int[0], new float[0],
            new float[70000]).toDense());
    assertTrue(e.getMessage().contains("use a sparse model"), e.getMessage());
  }

  private static String row(SparseBlock b, int i) {
    StringBuilder sb = new StringBuilder();
    for (int e = b.rowStart()[i]; e < b.rowStart()[i + 1]; e++) {
      sb.append(b.indices()[e]).append(':').append(b.values()[e]).append('/')
          .append(b.fields()[e]).append(' ');
    }
    return sb.toString();
  }
}
