package io.sparkps.driver;

import io.sparkps.driver.cli.EvaluateCommand;
import io.sparkps.driver.cli.PredictCommand;
import io.sparkps.driver.cli.ResumeCommand;
import io.sparkps.driver.cli.ReportCommand;
import io.sparkps.driver.cli.RetrainCommand;
import io.sparkps.driver.cli.SynthCommand;
import io.sparkps.ps.ParameterServerMain;
import io.sparkps.driver.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sparkps} command line: {@code train}, {@code evaluate}, {@code predict}, {@code ps}
 * (a standalone parameter server), {@code synth} and {@code retrain}, each with {@code --help}.
 */
@Command(name = "sparkps", mixinStandardHelpOptions = true,
    versionProvider = SparkPsCli.Version.class,
    description = "Trains linear, logistic, softmax and perceptron models with a parameter server.",
    subcommands = {TrainCommand.class, ResumeCommand.class, EvaluateCommand.class, PredictCommand.class,
        SynthCommand.class, RetrainCommand.class, ReportCommand.class,
        CommandLine.HelpCommand.class})
public final class SparkPsCli implements Runnable {

  public static void main(String[] args) {
    int code = run(args);
    if (inYarnApplicationMaster()) {
      // YARN cluster mode: the application master runs main in a thread and reports the final
      // status when it returns; System.exit would end the JVM first and YARN would record the
      // application as FAILED ("Shutdown hook called before final status was reported") and
      // run it again. An exception marks it FAILED with the code.
      if (code != 0) {
        throw new IllegalStateException("sparkps " + (args.length > 0 ? args[0] : "")
            + " ended with exit code " + code + "; its error output says why");
      }
      return;
    }
    System.exit(code);
  }

  /** Whether this JVM is a YARN application master running the driver (cluster deploy mode). */
  static boolean inYarnApplicationMaster() {
    return "yarn".equals(System.getProperty("spark.master"))
        && "cluster".equals(System.getProperty("spark.submit.deployMode"));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true),
        args);
  }

  /** Runs the command line with the given output and error writers (for tests and embedding). */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new SparkPsCli());
    cli.addSubcommand("ps", new ParameterServerMain());
    cli.setOut(out).setErr(err).setExecutionExceptionHandler(new ErrorReporter());
    try {
      applyJobFile(cli, args);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      err.println("sparkps: " + e.getMessage());
      return 2;
    }
    return cli.execute(args);
  }

  /**
   * Makes {@code --config FILE} of a subcommand the source of its defaults, so that the file
   * sets what the flags leave unset.
   */
  private static void applyJobFile(CommandLine cli, String[] args) {
    if (args.length == 0 || !cli.getSubcommands().containsKey(args[0])) {
      return;
    }
    CommandLine sub = cli.getSubcommands().get(args[0]);
    for (int i = 1; i < args.length; i++) {
      String path = args[i].equals("--config") && i + 1 < args.length ? args[i + 1]
          : args[i].startsWith("--config=") ? args[i].substring("--config=".length()) : null;
      if (path != null && sub.getCommandSpec().findOption("--config") != null) {
        sub.setDefaultValueProvider(io.sparkps.driver.cli.YamlJobFile.load(
            java.nio.file.Path.of(path), sub.getCommandSpec()));
      }
    }
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
  public static final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
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
