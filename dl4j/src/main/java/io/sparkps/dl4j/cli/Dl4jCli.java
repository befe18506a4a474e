package io.sparkps.dl4j.cli;

import io.sparkps.driver.SparkPsCli;
import io.sparkps.driver.cli.CliExtension;
import io.sparkps.dl4j.Dl4jModelDir;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The {@code sparkps} command line with deeplearning4j: {@code train --model dl4j} (or
 * {@code --keras}, {@code --dl4j-config}), {@code evaluate}/{@code predict} of a DL4J model
 * directory, {@code retrain} of a registry of DL4J networks and {@code resume} of a DL4J run
 * run here; everything else runs as the driver's CLI. Registered as a
 * {@link CliExtension} service, so the driver's own main finds it when this jar is on the class
 * path; {@link #main} is the same command line for {@code java -cp ... Dl4jCli}.
 */
public final class Dl4jCli implements CliExtension {

  public static void main(String[] args) {
    System.exit(SparkPsCli.run(args));
  }

  @Override
  public boolean handles(String[] args) {
    if (args.length == 0) {
      return false;
    }
    if (args[0].equals("train")) {
      return CliExtension.missing(args).isPresent();
    }
    if (args[0].equals("retrain")) {
      return CliExtension.missing(args).isPresent() || option(args, "--from-model").isPresent()
          || option(args, "--registry").map(Dl4jCli::isDl4jRegistry).orElse(false);
    }
    if (args[0].equals("resume")) {
      return option(args, "--checkpoint").map(Dl4jCli::isDl4jCheckpoint).orElse(false);
    }
    if (args[0].equals("evaluate") || args[0].equals("predict")) {
      for (int i = 1; i < args.length; i++) {
        String dir = args[i].equals("--model") && i + 1 < args.length ? args[i + 1]
            : args[i].startsWith("--model=") ? args[i].substring(8) : null;
        if (dir != null && Dl4jModelDir.isModel(Path.of(dir))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The value of {@code name} in {@code args} ({@code --name V} or {@code --name=V}). */
  static java.util.Optional<String> option(String[] args, String name) {
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(name) && i + 1 < args.length) {
        return java.util.Optional.of(args[i + 1]);
      }
      if (args[i].startsWith(name + "=")) {
        return java.util.Optional.of(args[i].substring(name.length() + 1));
      }
    }
    return java.util.Optional.empty();
  }

  /** Whether the version {@code CURRENT} of the local {@code registry} names is a DL4J model. */
  private static boolean isDl4jRegistry(String registry) {
    try {
      Path root = Path.of(registry);
      Path pointer = root.resolve("CURRENT");
      return java.nio.file.Files.isRegularFile(pointer) && Dl4jModelDir.isModel(root.resolve(
          java.nio.file.Files.readString(pointer).trim()));
    } catch (java.io.IOException | RuntimeException e) {
      return false; // the driver's retrain reports what is wrong with the registry
    }
  }

  /** Whether {@code checkpoint} holds a DL4J run's job; unreadable ones are the driver's. */
  private static boolean isDl4jCheckpoint(String checkpoint) {
    try {
      return Dl4jResumeCommand.isDl4jJob(io.sparkps.driver.train.RunCheckpoint.open(
          Dl4jResumeCommand.dir(checkpoint), new org.apache.hadoop.conf.Configuration())
          .readJob());
    } catch (RuntimeException e) {
      return false; // the driver's resume reports what is wrong with the directory
    }
  }

  @Override
  public int run(PrintWriter out, PrintWriter err, String[] args) {
    Object command = switch (args[0]) {
      case "train" -> new Dl4jTrainCommand();
      case "evaluate" -> new Dl4jEvaluateCommand();
      case "resume" -> new Dl4jResumeCommand();
      case "retrain" -> new Dl4jRetrainCommand();
      default -> new Dl4jPredictCommand();
    };
    CommandLine cli = new CommandLine(command);
    cli.setOut(out).setErr(err).setExecutionExceptionHandler(new SparkPsCli.ErrorReporter());
    return cli.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
  }
}
