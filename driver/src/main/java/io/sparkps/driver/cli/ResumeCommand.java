package io.sparkps.driver.cli;

import io.sparkps.driver.SparkPsCli;
import io.sparkps.driver.train.RunCheckpoint;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparkps resume}: continues a training run that died (driver, parameter server or both)
 * from the last epoch its {@code --checkpoint-dir} recorded, with the job as it was started.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Continues a 'train --checkpoint-dir DIR' run that died, from its last "
        + "checkpointed epoch, with the options it was started with (DIR/run/job.yaml); it ends "
        + "with the model the uninterrupted run would have written.",
        "Options after the checkpoint override the job's (a different --master, say)."})
public final class ResumeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--checkpoint", paramLabel = "URI", required = true,
      description = "The run's --checkpoint-dir (file://, hdfs://, or a local path).")
  String checkpoint;

  @CommandLine.Parameters(paramLabel = "TRAIN-OPTION", arity = "0..*",
      description = "train options that override the checkpointed job's, after '--'.")
  java.util.List<String> overrides = new java.util.ArrayList<>();

  @Override
  public Integer call() throws Exception {
    URI dir = checkpoint.contains("://") ? URI.create(checkpoint)
        : Path.of(checkpoint).toAbsolutePath().toUri();
    RunCheckpoint run = RunCheckpoint.open(dir, new Configuration());
    Path job = Files.createTempFile("sparkps-resume-", ".yaml");
    Files.write(job, run.readJob());
    TrainCommand train = new TrainCommand();
    train.resume = run.read();
    train.resumedRun = java.util.Optional.of(run);
    spec.commandLine().getErr().println(train.resume.map(r -> "resuming run " + run.runId()
        + " after epoch " + r.state().epoch() + " of the checkpoint at " + dir)
        .orElse("no epoch of run " + run.runId() + " was checkpointed at " + dir
            + "; starting the job from the start"));
    CommandLine cli = new CommandLine(train)
        .setOut(spec.commandLine().getOut())
        .setErr(spec.commandLine().getErr())
        .setExecutionExceptionHandler(new SparkPsCli.ErrorReporter());
    cli.setDefaultValueProvider(YamlJobFile.load(job, cli.getCommandSpec()));
    java.util.List<String> args = new java.util.ArrayList<>(overrides);
    args.addAll(java.util.List.of("--checkpoint-dir", dir.toString()));
    return cli.execute(args.toArray(String[]::new));
  }
}
