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
}
