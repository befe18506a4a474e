package io.sparkps.driver;

import io.sparkps.driver.cli.EvaluateCommand;
import io.sparkps.driver.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sparkps} command line: {@code train}, {@code evaluate}, each with {@code --help}. */
@Command(name = "sparkps", mixinStandardHelpOptions = true,
    versionProvider = SparkPsCli.Version.class,
    description = "Trains linear, logistic, softmax and perceptron models with a parameter server.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, CommandLine.HelpCommand.class})
public final class SparkPsCli implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true),
        args);
  }

  /** Runs the command line with the given output and error writers (for tests and embedding). */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return new CommandLine(new SparkPsCli())
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(new ErrorReporter())
        .execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SparkPsCli.class.getPackage().getImplementationVersion();
      return new String[] {"sparkps " + (v == null ? "development" : v)};
    }
  }

  /** Prints a bad-input error as one clear line instead of a stack trace. */
  static final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd,
        CommandLine.ParseResult parsed) {
      if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
          || e instanceof java.io.UncheckedIOException) {
        cmd.getErr().println("sparkps " + cmd.getCommandName() + ": " + e.getMessage());
        return 2;
      }
      cmd.getErr().println("sparkps " + cmd.getCommandName() + " failed: " + e);
      e.printStackTrace(cmd.getErr());
      return 1;
    }
  }
}
