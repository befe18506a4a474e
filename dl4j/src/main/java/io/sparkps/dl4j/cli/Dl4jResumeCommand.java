package io.sparkps.dl4j.cli;

import io.sparkps.driver.cli.ResumeOptions;
import io.sparkps.driver.train.RunCheckpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
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
    RunCheckpoint run = RunCheckpoint.open(options.dir(), new Configuration());
    Dl4jTrainCommand train = new Dl4jTrainCommand();
    train.resumedRun = Optional.of(run);
    return options.continueRun(spec, run, run.read(), train);
  }
}
