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

  private static String bytes(RowParser p, String line, long lineNo, float[] out) {
    byte[] b = (line + "\n\0junk").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return p.parse(b, line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, lineNo, out,
        0);
  }

  @Test
  void theBytePathReadsEdgeCasesAsFloatParseFloat() {
    String[] cells = {"0", "-0", "+1.5", "-1.5e-3", "1E10", "3.4028235e38", "1.4e-45", "1e-50",
        "-7.0e+2", ".5", "5.", "0x1.8p1", "123456789012345678901234567890",
        "0.12345678901234567890123456789", "1.00000005960464477539062500000000001", " 2.5 ",
        "\t-3\t", "1f", "2d", "000001.250000"};
    RowParser p = parser(cells.length);
    float[] viaBytes = new float[cells.length];
    float[] viaString = new float[cells.length];
    String line = String.join(",", cells) + ",1";
    assertEquals("1", bytes(p, line, 2, viaBytes));
    assertEquals("1", p.parse(line, 2, viaString, 0));
    for (int j = 0; j < cells.length; j++) {
      int want = Float.floatToIntBits(Float.parseFloat(cells[j].trim()));
      assertEquals(want, Float.floatToIntBits(viaBytes[j]), "'" + cells[j] + "'");
      assertEquals(want, Float.floatToIntBits(viaString[j]), "'" + cells[j] + "'");
    }
  }

  @Test
  void theBytePathMatchesTheStringPathOnRandomNumbers() {
    SplittableRandom r = new SplittableRandom(11);
    RowParser p = parser(4);
    float[] a = new float[4];
    float[] b = new float[4];
    for (int row = 0; row < 20_000; row++) {
      StringBuilder line = new StringBuilder();
      for (int j = 0; j < 4; j++) {
        double x = r.nextGaussian() * Math.pow(10, r.nextInt(-40, 37));
        line.append(r.nextBoolean() ? String.format(Locale.ROOT, "%.6f", x) : Double.toString(x))
            .append(',');
      }
      line.append(row % 3 == 0 ? "yes" : "no");
      String label = bytes(p, line.toString(), row, a);
      assertEquals(p.parse(line.toString(), row, b, 0), label);
      for (int j = 0; j < 4; j++) {
        assertEquals(Float.floatToIntBits(b[j]), Float.floatToIntBits(a[j]), line.toString());
      }
    }
  }

  @Test
  void theBytePathKeepsTheStringPathsErrors() {
    RowParser p = parser(2);
    float[] out = new float[2];
    for (String bad : new String[] {"NaN", "-Infinity", "Infinity", "1e39", "x7", ""}) {
      DataFormatException e = assertThrows(DataFormatException.class,
          () -> bytes(p, "1.5," + bad + ",0", 3, out));
      DataFormatException s = assertThrows(DataFormatException.class,
          () -> p.parse("1.5," + bad + ",0", 3, out, 0));
      assertEquals(s.getMessage(), e.getMessage());
      assertTrue(e.getMessage().contains("t.csv") && e.getMessage().contains("line 3")
          && e.getMessage().contains("column f1"), e.getMessage());
    }
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> bytes(p, "1.5,2,0,9", 5, out));
    assertTrue(e.getMessage().contains("expected 3 columns, found 4"), e.getMessage());
    e = assertThrows(DataFormatException.class, () -> bytes(p, "1.5,2, ", 6, out));
    assertTrue(e.getMessage().contains("the label (column y) is missing"), e.getMessage());
    assertEquals("1", bytes(p, "\"1.5\",\"-2e3\",\"1\"", 7, out));
    assertEquals(-2000f, out[1]);
    // a label that is not ASCII is decoded as UTF-8
    assertEquals("spät", bytes(p, "1,2,spät", 8, out));
    assertEquals(2f, out[1]);
  }
}
