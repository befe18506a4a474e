package io.sparkps.dl4j.cli;

import io.sparkps.driver.SparkPsCli;
import io.sparkps.driver.cli.ResumeOptions;
import io.sparkps.driver.cli.YamlJobFile;
import io.sparkps.driver.train.RunCheckpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code sparkps resume} of a DL4J run: the driver's {@code resume} (same options, same
 * checkpoint layout, {@link RunCheckpoint}) with {@link Dl4jTrainCommand} as the job, chosen by
 * {@link Dl4jCli} when the checkpoint's {@code job.yaml} is a {@code --model dl4j} job.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Continues a 'train --model dl4j --checkpoint-dir DIR' run that died, from "
        + "its last checkpointed epoch, with the options it was started with (DIR/run/job.yaml); "
        + "in sync mode it ends with the network the uninterrupted run would have written.",
        "Options after the checkpoint override the job's (a different --master, say). A run "
            + "against --ps servers reads the token files it was started with, or those given "
            + "here (the checkpoint never holds a token)."})
public final class Dl4jResumeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ResumeOptions options = new ResumeOptions();

  /** The checkpoint directory named by {@code --checkpoint} as a URI. */
  static URI dir(String checkpoint) {
    return ResumeOptions.dir(checkpoint);
  }

  /**
   * Whether {@code job} (a checkpoint's job.yaml) is a DL4J job: its model is dl4j or it names
   * a --dl4j-config or --keras file.
   */
  static boolean isDl4jJob(byte[] job) {
    for (String line : new String(job, StandardCharsets.UTF_8).split("\n")) {
      String l = line.strip();
      if (l.matches("model: *[\"']?dl4j[\"']?") || l.startsWith("dl4j-config:")
          || l.startsWith("keras:")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Integer call() throws Exception {
    URI dir = options.dir();
    RunCheckpoint run = RunCheckpoint.open(dir, new Configuration());
    byte[] yaml = run.readJob();
    List<String> args = options.trainArgs(yaml); // the token files, before Spark starts
    Path job = Files.createTempFile("sparkps-resume-", ".yaml");
    try {
      Files.write(job, yaml);
      Dl4jTrainCommand train = new Dl4jTrainCommand();
      train.resumedRun = Optional.of(run);
      spec.commandLine().getErr().println(run.read().map(r -> "resuming run " + run.runId()
          + " after epoch " + r.state().epoch() + " of the checkpoint at " + dir)
          .orElse("no epoch of run " + run.runId() + " was checkpointed at " + dir
              + "; starting the job from the start"));
      CommandLine cli = new CommandLine(train)
          .setOut(spec.commandLine().getOut())
          .setErr(spec.commandLine().getErr())
          .setExecutionExceptionHandler(new SparkPsCli.ErrorReporter());
      cli.setDefaultValueProvider(YamlJobFile.load(job, cli.getCommandSpec()));
      return cli.execute(args.toArray(String[]::new));
    } finally {
      Files.deleteIfExists(job);
    }
  }
}
