package io.sparkps.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The check values of SYNTH.md. */
class SynthDataTest {

  @Test
  void firstRowAndFirstLabelsMatchTheSpecification() {
    SynthData g = new SynthData();
    double[] row = new double[SynthData.FEATURES];
    StringBuilder labels = new StringBuilder();
    labels.append(g.next(row));
    assertEquals(0.88224890622226880, row[0], 0);
    assertEquals(1.3884732852877070, row[1], 0);
    assertEquals(-0.45084987571886010, row[2], 0);
    assertEquals(0.67071644090242910, row[3], 0);
    for (int i = 1; i < 20; i++) {
      labels.append(g.next(row));
    }
    assertEquals("01001000010001111001", labels.toString());
  }

  @Test
  void positivesInTheFirst200000Rows() {
    ExampleBlock b = SynthData.block(200_000);
    int pos = 0;
    for (float y : b.labels()) {
      pos += (int) y;
    }
    assertEquals(86091, pos);
    assertEquals(160_000, SynthData.trainRows(200_000));
  }

  @Test
  void csvFollowsTheSpecifiedLayout() throws Exception {
    StringWriter w = new StringWriter();
    SynthData.writeCsv(2, w);
    String[] lines = w.toString().split("\n", -1);
    assertTrue(lines[0].startsWith("f0,f1,") && lines[0].endsWith(",f27,label"), lines[0]);
    assertTrue(lines[1].startsWith("0.882249,1.388473,-0.450850,0.670716,"), lines[1]);
    assertTrue(lines[1].endsWith(",0"), lines[1]);
    assertEquals(3, lines.length - 1);
    StringBuilder b = new StringBuilder();
    SynthData.appendFixed6(b, -5);
    assertEquals("-0.000005", b.toString());
  }
}
