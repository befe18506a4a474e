package io.sparkps.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** ctr-N: check values, layout, missing values and that its interactions matter. */
class CtrSynthDataTest {
  private static final CtrSynthData GEN = new CtrSynthData(CtrSynthData.DEFAULT_SEED);

  @Test
  void firstRowsMatchTheCheckValuesOfBenchReadme() {
    CtrSynthData.Row r = GEN.row(0);
    assertArrayEquals(new long[] {0, 0, 2, 0, 31, 0, 2, 0, -1, 2, 30, 11, 12}, r.counts());
    assertArrayEquals(new int[] {2, 3, 1, 0, 0, 0, 0, 99, 6, 175, 126, 13, 0, 35, 2, 56, 134, 60,
        0, 0, 985, 39, 0, -1, 6, 8246}, r.values());
    assertEquals(0.022928812067861837, r.probability(), 0);
    assertEquals("0,0,2,0,31,0,2,0,,2,30,11,12,7d939f8a,da48524c,9f47723b,7e410f78,e318cbd0,"
        + "156bcb54,ee60aa7b,e0127e21,483a128a,393abbbc,2f59d816,68c20ef5,c8ae2115,f91c050e,"
        + "f3d59593,4c6eb4c2,3f038428,28b66625,cdb5b683,bd6100ac,97c905fe,8a88d389,2f912b05,,"
        + "268eec1d,e0133e09,0", GEN.csvLine(r));
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      labels.append(GEN.row(i).label());
    }
    assertEquals("01001010000000000100000010010100", labels.toString());
    assertEquals(0.09289314031527404, GEN.row(123456).probability(), 0);
    CtrSynthData.Summary s = GEN.score(0, 2000);
    assertEquals(496, s.positives());
    assertEquals(0.4170942222353704, s.logLoss(), 0);
  }

  @Test
  void rowsDependOnTheSeedAndIndexAloneNotOnWhatWasGeneratedBefore() {
    CtrSynthData fresh = new CtrSynthData(CtrSynthData.DEFAULT_SEED);
    CtrSynthData.Row late = fresh.row(777);
    CtrSynthData.Row early = GEN.row(777);
    assertEquals(GEN.csvLine(early), fresh.csvLine(late));
    assertEquals(early.probability(), late.probability(), 0);
    assertNotEquals(GEN.csvLine(GEN.row(0)), new CtrSynthData(7).csvLine(new CtrSynthData(7)
        .row(0)));
  }

  @Test
  void csvHasFortyColumnsOfCountsTokensAndLabels() throws Exception {
    StringWriter w = new StringWriter();
    CtrSynthData.Summary s = GEN.writeCsv(100, 2100, w);
    String[] lines = w.toString().split("\n", -1);
    assertEquals("", lines[lines.length - 1]);
    assertEquals(2002, lines.length);
    assertEquals(2000, s.rows());
    String[] head = lines[0].split(",", -1);
    assertEquals(40, head.length);
    assertEquals("I1", head[0]);
    assertEquals("I13", head[12]);
    assertEquals("C1", head[13]);
    assertEquals("C26", head[38]);
    assertEquals("label", head[39]);
    Pattern count = Pattern.compile("|0|[1-9][0-9]*");
    Pattern token = Pattern.compile("|[0-9a-f]{8}");
    for (int i = 1; i <= 2000; i++) {
      String[] f = lines[i].split(",", -1);
      assertEquals(40, f.length, lines[i]);
      for (int k = 0; k < 13; k++) {
        assertTrue(count.matcher(f[k]).matches(), lines[i]);
      }
      for (int j = 13; j < 39; j++) {
        assertTrue(token.matcher(f[j]).matches(), lines[i]);
      }
      assertTrue(f[39].equals("0") || f[39].equals("1"), lines[i]);
    }
    assertEquals(GEN.csvLine(GEN.row(100)), lines[1]);
  }

  @Test
  void missingValuesComeAtTheirDocumentedRates() {
    int n = 4000;
    int[] numericMissing = new int[CtrTruth.NUMERIC];
    int[] categoricalMissing = new int[CtrTruth.CATEGORICAL];
    for (int i = 0; i < n; i++) {
      CtrSynthData.Row r = GEN.row(i);
      for (int k = 0; k < CtrTruth.NUMERIC; k++) {
        numericMissing[k] += r.counts()[k] < 0 ? 1 : 0;
      }
      for (int j = 0; j < CtrTruth.CATEGORICAL; j++) {
        categoricalMissing[j] += r.values()[j] < 0 ? 1 : 0;
      }
    }
    for (int k = 0; k < CtrTruth.NUMERIC; k++) {
      assertRate(CtrTruth.numericMissingRate(k), numericMissing[k], n, "I" + (k + 1));
    }
    for (int j = 0; j < CtrTruth.CATEGORICAL; j++) {
      assertRate(CtrTruth.categoricalMissingRate(j), categoricalMissing[j], n, "C" + (j + 1));
    }
    assertEquals(0.44, CtrTruth.numericMissingRate(11), 1e-12);
    assertEquals(0.4, CtrTruth.categoricalMissingRate(23), 1e-12);
  }

  private static void assertRate(double p, int hits, int n, String column) {
    double sd = Math.sqrt(p * (1 - p) / n);
    double seen = (double) hits / n;
    assertTrue(Math.abs(seen - p) <= 4 * sd, column + ": missing " + seen + ", expected " + p);
  }

  @Test
  void valuesFollowEachFieldsZipfDistributionAndTokensAreDistinct() {
    int n = 4000;
    int field = 7; // 130 values, exponent 1.15
    ZipfSampler z = ZipfSampler.of(CtrTruth.vocabulary(field), CtrTruth.zipfExponent(field));
    int[] hits = new int[3];
    for (int i = 0; i < n; i++) {
      int v = GEN.row(i).values()[field];
      if (v < 3) {
        hits[v]++;
      }
    }
    for (int k = 0; k < 3; k++) {
      assertRate(z.probability(k + 1), hits[k], n, "C8 value " + k);
    }
    Set<String> tokens = new HashSet<>();
    for (int v = 0; v < 20000; v++) {
      assertTrue(tokens.add(GEN.truth().token(25, v)), "token of value " + v + " repeats");
    }
    assertEquals(1_000_000, CtrTruth.vocabulary(25));
    assertEquals(4, CtrTruth.vocabulary(0));
  }

  @Test
  void theInteractionsAreWorthClearlyMoreThanTheirAdditivePart() {
    // the held-out rows of ctr-10000; the additive part is the best a main-effects model could
    // see of the interactions, with the true weights (no estimation error)
    CtrSynthData.Summary s = GEN.score(CtrSynthData.trainRows(10_000), 10_000);
    assertEquals(2000, s.rows());
    assertTrue(s.additiveLogLoss() - s.logLoss() > 0.02, s.toString());
    double residual = 0;
    double dropped = 0;
    for (long i = 0; i < 4000; i++) {
      CtrSynthData.Row r = GEN.row(i);
      double inter = GEN.truth().interaction(r.values());
      residual += inter - GEN.truth().additiveInteraction(r.values());
      dropped += inter;
    }
    // the projection keeps the interactions' mean, so what is left averages about zero
    assertTrue(Math.abs(residual / 4000) < 0.04, "mean residual " + residual / 4000);
    assertTrue(Math.abs(dropped / 4000) > Math.abs(residual / 4000), "mean " + dropped / 4000);
  }

  @Test
  void idColumnsComeFromTheirOwnStreamWithCheckValues() {
    CtrSynthData ids = new CtrSynthData(CtrSynthData.DEFAULT_SEED, 2);
    CtrSynthData.Row r = ids.row(0);
    assertEquals(GEN.row(0).probability(), r.probability(), 0);
    String line = ids.csvLine(r);
    String plain = GEN.csvLine(GEN.row(0));
    assertEquals(plain.substring(0, plain.length() - 1) + ids.idToken(0, ids.ids(0)[0]) + ","
        + ids.idToken(1, ids.ids(0)[1]) + ",0", line);
    // check values: bench/README.md's specification of the id columns
    assertArrayEquals(new int[] {111270192, 2069693254}, ids.ids(0));
    assertTrue(line.endsWith(",268eec1d,e0133e09,3507a1a2,7154e249,0"), line);
    assertArrayEquals(ids.ids(5), new CtrSynthData(CtrSynthData.DEFAULT_SEED, 2).ids(5));
    assertNotEquals(ids.ids(5)[0], ids.ids(6)[0]);
    assertTrue(ids.csvHeader().endsWith("C26,D1,D2,label"), ids.csvHeader());
    assertEquals(CtrSynthData.header(), GEN.csvHeader());
  }
}
