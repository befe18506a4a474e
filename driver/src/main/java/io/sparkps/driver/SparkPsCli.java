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
import io.sparkps.driver.cli.Logs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code sparkps} command line: {@code train}, {@code evaluate}, {@code predict}, {@code ps}
 * (a standalone parameter server), {@code synth} and {@code retrain}, each with {@code --help}.
 */
@Command(name = "sparkps", mixinStandardHelpOptions = true,
    versionProvider = SparkPsCli.Version.class,
    description = "Trains linear, logistic and softmax regression, perceptrons, factorization "
        + "machines and wide & deep models with a parameter server.",
    subcommands = {TrainCommand.class, ResumeCommand.class, EvaluateCommand.class, PredictCommand.class,
        SynthCommand.class, RetrainCommand.class, ReportCommand.class,
        CommandLine.HelpCommand.class})
public final class SparkPsCli implements Runnable {

  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (Throwable t) { // NOPMD: an Error must end the JVM too, whose Spark threads would keep it
      org.slf4j.LoggerFactory.getLogger(SparkPsCli.class).error("sparkps failed", t);
      System.err.println("sparkps: internal error: " + t + " (the stack trace is in the log; "
          + "--verbose shows it). A NoSuchMethodError or NoClassDefFoundError means the class "
          + "path mixes jars of different builds: rebuild with 'mvn -DskipTests install'.");
      if (inYarnApplicationMaster()) {
        throw t;
      }
      code = 1;
    }
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
    for (io.sparkps.driver.cli.CliExtension x
        : java.util.ServiceLoader.load(io.sparkps.driver.cli.CliExtension.class)) {
      if (x.handles(args)) {
        return x.run(out, err, args);
      }
    }
    java.util.Optional<String> missing = io.sparkps.driver.cli.CliExtension.missing(args);
    if (missing.isPresent()) {
      err.println("sparkps: " + missing.get());
      return 2;
    }
    CommandLine cli = new CommandLine(new SparkPsCli());
    CommandLine ps = new CommandLine(new ParameterServerMain());
    ps.getCommandSpec().name("ps"); // its usage reads "sparkps ps", not its own jar's name
    cli.addSubcommand("ps", ps);
    io.sparkps.driver.cli.ReportCommand.describeData(cli.getSubcommands().get("report"));
    if (args.length > 0 && args[0].equals("ps")) {
      Logs.toConsole(Logs.Console.SPARKPS_INFO); // a service: its INFO lines are its log
    }
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

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Also show on the console what goes to the log file: SparkPS's INFO lines, "
          + "Spark's log and the stack trace behind an error.")
  void verbose(boolean on) {
    if (on) {
      Logs.toConsole(Logs.Console.EVERYTHING);
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

  /**
   * Prints an error as one clear line: the message of bad input (exit code 2), the exception
   * otherwise (exit code 1). The stack trace goes to the log file (to the console with
   * {@code --verbose}, or when no log file is configured).
   */
  public static final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd,
        CommandLine.ParseResult parsed) {
      String name = "sparkps " + cmd.getCommandName();
      java.util.Optional<String> logFile = Logs.file();
      Logs.trace(name + " failed", e);
      boolean badInput = e instanceof IllegalArgumentException
          || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException;
      if (badInput) {
        cmd.getErr().println(name + ": " + e.getMessage());
      } else {
        cmd.getErr().println(name + " failed: " + e + logFile.filter(f -> !Logs.verbose())
            .map(f -> " (stack trace in " + f + "; --verbose shows it here)").orElse(""));
        if (logFile.isEmpty()) {
          e.printStackTrace(cmd.getErr());
        }
      }
      cmd.getErr().flush();
      return badInput ? 2 : 1;
    }
  }
}
