package io.sparkps.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LibSVM rows parsed in place read as {@link Float#parseFloat} does, and bad rows keep errors. */
class LibSvmRowTest {

  @Test
  void valuesAreFloatParseFloatsBitForBit() {
    SplittableRandom r = new SplittableRandom(5);
    for (int row = 0; row < 5_000; row++) {
      StringBuilder line = new StringBuilder(row % 2 == 0 ? "+1" : "-1");
      int pairs = r.nextInt(0, 8);
      int[] idx = new int[pairs];
      String[] cells = new String[pairs];
      int at = 0;
      for (int k = 0; k < pairs; k++) {
        at += r.nextInt(1, 1000);
        idx[k] = at;
        double x = r.nextGaussian() * Math.pow(10, r.nextInt(-30, 30));
        cells[k] = switch (r.nextInt(4)) {
          case 0 -> String.format(Locale.ROOT, "%.6f", x);
          case 1 -> Double.toString(x);
          case 2 -> String.format(Locale.ROOT, "%.9e", x);
          default -> Long.toString((long) x);
        };
        line.append(r.nextBoolean() ? " " : " \t ").append(at).append(':').append(cells[k]);
      }
      LibSvmRow parsed = LibSvmRow.parse("t.libsvm", row + 1, line + (row % 3 == 0 ? " " : ""));
      assertEquals(row % 2 == 0 ? "+1" : "-1", parsed.label());
      assertArrayEquals(idx, parsed.indices(), line.toString());
      for (int k = 0; k < pairs; k++) {
        assertEquals(Float.floatToIntBits(Float.parseFloat(cells[k])),
            Float.floatToIntBits(parsed.values()[k]), line.toString());
      }
    }
  }

  @Test
  void edgeCasesReadAsBefore() {
    LibSvmRow r = LibSvmRow.parse("t", 1, "  1 01:-0 +2:1e-50 3:3.4028235e38 7:.5\r");
    assertEquals("1", r.label());
    assertArrayEquals(new int[] {1, 2, 3, 7}, r.indices());
    assertArrayEquals(new float[] {-0f, 0f, 3.4028235e38f, 0.5f}, r.values());
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(r.values()[0]));
    assertEquals(0, LibSvmRow.parse("t", 2, "0").indices().length);
  }

  @Test
  void badRowsKeepTheirErrors() {
    assertError("1 2:1 2:3", "index 2 after 2; indices must be 1-based and strictly increasing");
    assertError("1 0:1", "index 0 is below 1");
    assertError("1 3", "'3' is not index:value");
    assertError("1 3:x", "'3:x' is not index:value with an integer index and a number");
    assertError("1 3:", "'3:' is not index:value with an integer index and a number");
    assertError("1 3:NaN", "feature 3 holds NaN; features must be finite numbers");
    assertError("1 3:1e39", "feature 3 holds Infinity; features must be finite numbers");
    assertError("1 3:-Infinity", "feature 3 holds -Infinity");
  }

  private static void assertError(String line, String expected) {
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> LibSvmRow.parse("t.libsvm", 4, line));
    assertTrue(e.getMessage().contains("t.libsvm") && e.getMessage().contains("line 4")
        && e.getMessage().contains(expected), e.getMessage());
  }
}
