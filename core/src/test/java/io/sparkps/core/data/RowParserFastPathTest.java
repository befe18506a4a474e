package io.sparkps.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The in-place parse of plain lines (no quotes) gives exactly {@link Float#parseFloat}'s value
 * for every number, and a bad line the same error as the general path.
 */
class RowParserFastPathTest {
  private static final CsvOptions CSV = new CsvOptions(',', 0, true, "y");

  private static RowParser parser(int features) {
    List<String> header = new java.util.ArrayList<>();
    for (int j = 0; j < features; j++) {
      header.add("f" + j);
    }
    header.add("y");
    return RowParser.forColumns("t.csv", header, features + 1, CSV);
  }

  @Test
  void everyNumberMatchesFloatParseFloatBitForBit() {
    SplittableRandom r = new SplittableRandom(7);
    RowParser p = parser(6);
    float[] out = new float[6];
    for (int row = 0; row < 20_000; row++) {
      String[] cells = new String[6];
      for (int j = 0; j < 6; j++) {
        double x = r.nextGaussian() * Math.pow(10, r.nextInt(-12, 12));
        cells[j] = switch (r.nextInt(6)) {
          case 0 -> String.format(Locale.ROOT, "%.6f", x); // synth's six decimals
          case 1 -> Double.toString(x);
          case 2 -> String.format(Locale.ROOT, "%.9e", x);
          case 3 -> " " + (float) x + " "; // padded
          case 4 -> Long.toString((long) x);
          default -> String.format(Locale.ROOT, "%.17g", x);
        };
      }
      String line = String.join(",", cells) + "," + (row % 2);
      assertEquals(Integer.toString(row % 2), p.parse(line, row + 2, out, 0));
      for (int j = 0; j < 6; j++) {
        assertEquals(Float.floatToIntBits(Float.parseFloat(cells[j].trim())),
            Float.floatToIntBits(out[j]), "'" + cells[j] + "' in " + line);
      }
    }
  }

  @Test
  void badCellsKeepTheirErrors() {
    RowParser p = parser(2);
    float[] out = new float[2];
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> p.parse("1.5,x7,0", 3, out, 0));
    assertTrue(e.getMessage().contains("column f1 holds 'x7', which is not a number"),
        e.getMessage());
    e = assertThrows(DataFormatException.class, () -> p.parse("1.5,NaN,0", 4, out, 0));
    assertTrue(e.getMessage().contains("features must be finite numbers"), e.getMessage());
    e = assertThrows(DataFormatException.class, () -> p.parse("1.5,2,0,9", 5, out, 0));
    assertTrue(e.getMessage().contains("expected 3 columns, found 4"), e.getMessage());
    e = assertThrows(DataFormatException.class, () -> p.parse("1.5,2,", 6, out, 0));
    assertTrue(e.getMessage().contains("the label (column y) is missing"), e.getMessage());
    // quoted cells take the general path
    assertEquals("1", p.parse("\"1.5\",\"-2e3\",\"1\"", 7, out, 0));
    assertEquals(-2000f, out[1]);
  }
}
