package io.sparkps.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.driver.SparkPsCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The driver without the sparkps-dl4j jar: the DL4J options say which jar to add. */
class CliExtensionTest {

  @Test
  void deeplearning4jOptionsWithoutTheJarNameTheJar() {
    for (String[] args : new String[][] {
        {"train", "--model", "dl4j", "--dl4j-config", "net.json"},
        {"train", "--keras=model.h5"},
        {"train", "--model=dl4j"}}) {
      StringWriter err = new StringWriter();
      int code = SparkPsCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
          args);
      assertEquals(2, code, err.toString());
      assertTrue(err.toString().contains("need the sparkps-dl4j jar on the class path"),
          err.toString());
    }
  }

  @Test
  void otherArgumentsAskForNoExtension() {
    assertTrue(CliExtension.missing(new String[] {"train", "--model", "mlp"}).isEmpty());
    assertTrue(CliExtension.missing(new String[] {"evaluate", "--model", "dir"}).isEmpty());
  }
}
