package io.sparkps.driver.cli;

import java.io.PrintWriter;

/**
 * A command-line extension that a jar on the class path contributes, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.sparkps.driver.cli.CliExtension}):
 * the optional {@code sparkps-dl4j} jar runs {@code train --model dl4j}, {@code --keras}, and
 * {@code evaluate}/{@code predict} of the models it writes. The driver itself never depends on
 * what an extension brings (ND4J, deeplearning4j).
 */
public interface CliExtension {

  /** Whether this extension runs {@code args} (the subcommand first) instead of the driver. */
  boolean handles(String[] args);

  /** Runs {@code args} and returns the exit code. */
  int run(PrintWriter out, PrintWriter err, String[] args);

  /**
   * What the driver says when no extension handles {@code args} but they ask for one: the
   * deeplearning4j options without the {@code sparkps-dl4j} jar. Empty when they ask for nothing
   * of the kind.
   */
  static java.util.Optional<String> missing(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean dl4jModel = (a.equals("--model") && i + 1 < args.length
          && args[i + 1].equals("dl4j")) || a.equals("--model=dl4j");
      if (dl4jModel || a.startsWith("--keras") || a.startsWith("--dl4j-config")) {
        return java.util.Optional.of("deeplearning4j networks (" + (dl4jModel ? "--model dl4j"
            : a.replaceFirst("=.*", "")) + ") need the sparkps-dl4j jar on the class path: "
            + "submit dl4j/target/sparkps-dl4j-<version>-shaded.jar instead of the driver's jar "
            + "(it holds both), or build the dl4j module (mvn -pl dl4j -am install), which "
            + "bin/sparkps then adds");
      }
    }
    return java.util.Optional.empty();
  }
}
