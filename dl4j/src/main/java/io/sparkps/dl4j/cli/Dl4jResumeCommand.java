package io.sparkps.dl4j.cli;

import io.sparkps.driver.SparkPsCli;
import io.sparkps.driver.cli.YamlJobFile;
import io.sparkps.driver.train.RunCheckpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
        "Options after the checkpoint override the job's (a different --master, say)."})
public final class Dl4jResumeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--checkpoint", paramLabel = "URI", required = true,
      description = "The run's --checkpoint-dir (file://, hdfs://, or a local path).")
  String checkpoint;

  @CommandLine.Parameters(paramLabel = "TRAIN-OPTION", arity = "0..*",
      description = "train options that override the checkpointed job's, after '--'.")
  List<String> overrides = new ArrayList<>();

  /** The checkpoint directory named by {@code --checkpoint} as a URI. */
  static URI dir(String checkpoint) {
    return checkpoint.contains("://") ? URI.create(checkpoint)
        : Path.of(checkpoint).toAbsolutePath().toUri();
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
    URI dir = dir(checkpoint);
    RunCheckpoint run = RunCheckpoint.open(dir, new Configuration());
    Path job = Files.createTempFile("sparkps-resume-", ".yaml");
    try {
      Files.write(job, run.readJob());
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
      List<String> args = new ArrayList<>(overrides);
      args.addAll(List.of("--checkpoint-dir", dir.toString()));
      return cli.execute(args.toArray(String[]::new));
    } finally {
      Files.deleteIfExists(job);
    }
  }
}
