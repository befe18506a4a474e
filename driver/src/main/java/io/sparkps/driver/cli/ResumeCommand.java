package io.sparkps.driver.cli;

import io.sparkps.driver.train.RunCheckpoint;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
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
    RunCheckpoint run = RunCheckpoint.open(options.dir(), new Configuration());
    TrainCommand train = new TrainCommand();
    train.resume = run.read();
    train.resumedRun = java.util.Optional.of(run);
    return options.continueRun(spec, run, train.resume, train);
  }
}
