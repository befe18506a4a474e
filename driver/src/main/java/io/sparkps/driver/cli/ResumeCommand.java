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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code sparkps resume}: continues a training run that died (driver, parameter server or both)
 * from the last epoch its {@code --checkpoint-dir} recorded, with the job as it was started.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Continues a 'train --checkpoint-dir DIR' run that died, from its last "
        + "checkpointed epoch, with the options it was started with (DIR/run/job.yaml); it ends "
        + "with the model the uninterrupted run would have written.",
        "Options after the checkpoint override the job's (a different --master, say). A run "
            + "against --ps servers reads the token files it was started with, or those given "
            + "here (the checkpoint never holds a token)."})
public final class ResumeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ResumeOptions options = new ResumeOptions();

  @Override
  public Integer call() throws Exception {
    URI dir = options.dir();
    RunCheckpoint run = RunCheckpoint.open(dir, new Configuration());
    byte[] yaml = run.readJob();
    java.util.List<String> args = options.trainArgs(yaml); // the token files, before Spark starts
    Path job = Files.createTempFile("sparkps-resume-", ".yaml");
    try {
      Files.write(job, yaml);
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
      return cli.execute(args.toArray(String[]::new));
    } finally {
      Files.deleteIfExists(job);
    }
  }
}
