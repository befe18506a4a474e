package io.sparkps.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureHashingTest {

  @Test
  void murmur3MatchesTheReferenceVectors() {
    // values of Spark's Murmur3_x86_32.hashUnsafeBytes2 (the reference algorithm) on UTF-8
    assertEquals(0x00000000, MurmurHash3.hash32("", 0));
    assertEquals(0x087fcd5c, MurmurHash3.hash32("", 42));
    assertEquals(0x3c2569b2, MurmurHash3.hash32("a", 0));
    assertEquals(0xd72d0e47, MurmurHash3.hash32("ab", 42));
    assertEquals(0xb3dd93fa, MurmurHash3.hash32("abc", 0));
    assertEquals(0xe860e5cc, MurmurHash3.hash32("abcd", 42));
    assertEquals(0x248bfa47, MurmurHash3.hash32("hello", 0));
    assertEquals(0x16214f6c, MurmurHash3.hash32("C1=68fd1e64", 42));
    assertEquals(0x2e4ff723,
        MurmurHash3.hash32("The quick brown fox jumps over the lazy dog", 0));
  }

  private static final FeatureHashing HASHING = new FeatureHashing(List.of("count", "site", "app"),
      List.of("site", "app"), 10, 42, FeatureHashing.NumericTransform.LOG1P);

  private static HashedRowParser parser() {
    RowParser columns = RowParser.forColumns("clicks.csv",
        List.of("label", "count", "site", "app"), 4, new CsvOptions(',', 0, true, "label"));
    return new HashedRowParser(columns, HASHING);
  }

  @Test
  void categoricalNumericAndMissingFieldsBecomeTheDocumentedEntries() {
    SparseRow row = new SparseRow();
    String label = parser().parse("1,3,news,", 2, row);
    assertEquals("1", label);
    assertEquals(3, row.size());
    float[] byIndex = new float[1024];
    short[] field = new short[1024];
    for (int i = 0; i < row.size(); i++) {
      byIndex[row.index(i)] += row.value(i);
      field[row.index(i)] = row.field(i);
      assertTrue(i == 0 || row.index(i) > row.index(i - 1), "ascending");
    }
    int count = MurmurHash3.hash32("count", 42) & 1023;
    int site = MurmurHash3.hash32("site=news", 42) & 1023;
    int appMissing = MurmurHash3.hash32("app=", 42) & 1023;
    assertEquals((float) Math.log1p(3), byIndex[count], 1e-6f);
    assertEquals(1f, byIndex[site]);
    assertEquals(1f, byIndex[appMissing], "a missing category is its own token");
    assertEquals(0, field[count]);
    assertEquals(1, field[site]);
    assertEquals(2, field[appMissing]);

    parser().parse("0,,news,games", 3, row);
    int countMissing = MurmurHash3.hash32("count=", 42) & 1023;
    boolean indicator = false;
    for (int i = 0; i < row.size(); i++) {
      indicator |= row.index(i) == countMissing && row.value(i) == 1f;
      assertTrue(row.index(i) != count, "a missing number adds no value entry");
    }
    assertTrue(indicator, "a missing number adds its missing indicator");
  }

  @Test
  void aWordInANumericColumnSuggestsCategorical() {
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> parser().parse("1,many,news,x", 7, new SparseRow()));
    assertTrue(e.getMessage().contains("clicks.csv") && e.getMessage().contains("line 7")
        && e.getMessage().contains("column count holds 'many'")
        && e.getMessage().contains("--categorical"), e.getMessage());
    DataFormatException dense = assertThrows(DataFormatException.class, () -> RowParser
        .forColumns("d.csv", List.of("a", "y"), 2, CsvOptions.defaults())
        .parse("red,1", 4, new float[1], 0));
    assertTrue(dense.getMessage().contains("--categorical"), dense.getMessage());
  }

  @Test
  void hashingRefusesBadSettings() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeatureHashing(List.of("a"), List.of(), 31, 42,
            FeatureHashing.NumericTransform.LOG1P));
    assertEquals("--hash-bits must be 1 to 30, got 31", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new FeatureHashing(List.of("a"),
        List.of("b"), 8, 42, FeatureHashing.NumericTransform.LOG1P));
    assertTrue(e.getMessage().contains("'b', which is not a feature column"), e.getMessage());
  }

  @Test
  void collisionsWithinARowAreSummed() {
    SparseRow row = new SparseRow();
    row.add(5, 1f, 0);
    row.add(2, 2f, 1);
    row.add(5, 3f, 2);
    row.normalize();
    assertEquals(2, row.size());
    assertEquals(2, row.index(0));
    assertEquals(5, row.index(1));
    assertEquals(4f, row.value(1));
    assertEquals(0, row.field(1), "the first entry's field is kept");
  }
}
