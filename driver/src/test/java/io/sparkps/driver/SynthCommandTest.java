package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.CtrSynthData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparkps synth --kind ctr}: the held-out part, its Bayes log loss and bad options. */
class SynthCommandTest {

  private static CliTest.Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkPsCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliTest.Run(code, out.toString(), err.toString());
  }

  @Test
  void writesTheHeldOutPartOfCtrAndItsBayesLogLoss(@TempDir Path tmp) throws Exception {
    Path test = tmp.resolve("ctr-test.csv");
    CliTest.Run r = run("synth", "--kind", "ctr", "--rows", "2500", "--part", "test", "--out",
        test.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(test);
    assertEquals(501, lines.size());
    assertEquals(CtrSynthData.header(), lines.get(0));
    CtrSynthData g = new CtrSynthData(CtrSynthData.DEFAULT_SEED);
    assertEquals(g.csvLine(g.row(2000)), lines.get(1));
    assertEquals(g.csvLine(g.row(2499)), lines.get(500));
    CtrSynthData.Summary s = g.score(2000, 2500);
    assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "Bayes log loss %.5f",
        s.logLoss())), r.out());
    assertTrue(r.out().contains("held-out rows 2000..2499"), r.out());
    assertTrue(Files.list(tmp).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
  }

  @Test
  void aSeedChangesCtrAndIsRefusedForSynth(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("ctr.csv");
    assertEquals(0, run("synth", "--kind", "ctr", "--seed", "7", "--rows", "10", "--part",
        "train", "--out", f.toString()).code());
    CtrSynthData g = new CtrSynthData(7);
    assertEquals(g.csvLine(g.row(0)), Files.readAllLines(f).get(1));
    assertEquals(9, Files.readAllLines(f).size());
    CliTest.Run refused = run("synth", "--seed", "7", "--rows", "10", "--out",
        tmp.resolve("s.csv").toString());
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("--seed applies to --kind ctr only"), refused.err());
    CliTest.Run rows = run("synth", "--kind", "ctr", "--rows", "0", "--out", f.toString());
    assertTrue(rows.err().contains("--rows must be 1 to 2147483647, got 0"), rows.err());
  }

  @Test
  void idFieldsAddDistinctTokenColumnsAndLeaveTheRestOfCtrAsItWas(@TempDir Path tmp)
      throws Exception {
    Path f = tmp.resolve("ctr-ids.csv");
    CliTest.Run r = run("synth", "--kind", "ctr", "--rows", "1000", "--part", "train",
        "--id-fields", "3", "--out", f.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(f);
    assertTrue(lines.get(0).endsWith(",C26,D1,D2,D3,label"), lines.get(0));
    CtrSynthData plain = new CtrSynthData(CtrSynthData.DEFAULT_SEED);
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 1; i <= 800; i++) {
      String[] cols = lines.get(i).split(",", -1);
      assertEquals(43, cols.length, lines.get(i));
      String[] base = plain.csvLine(plain.row(i - 1)).split(",", -1);
      for (int c = 0; c < 39; c++) {
        assertEquals(base[c], cols[c], "column " + c + " of row " + (i - 1));
      }
      assertEquals(base[39], cols[42], "the label of row " + (i - 1));
      for (int m = 39; m < 42; m++) {
        assertTrue(cols[m].matches("[0-9a-f]{8}"), lines.get(i));
        ids.add(m + "=" + cols[m]);
      }
    }
    // 2400 draws from 2^32 values each: a repeat within a column has probability about 2e-4
    assertEquals(2400, ids.size());
    CliTest.Run synthIds = run("synth", "--rows", "10", "--id-fields", "2", "--out",
        tmp.resolve("s.csv").toString());
    assertEquals(2, synthIds.code());
    assertTrue(synthIds.err().contains("--id-fields applies to --kind ctr only"),
        synthIds.err());
    CliTest.Run tooMany = run("synth", "--kind", "ctr", "--rows", "10", "--id-fields", "65",
        "--out", tmp.resolve("t.csv").toString());
    assertTrue(tooMany.err().contains("--id-fields must be 0 to 64, got 65"), tooMany.err());
  }
}
