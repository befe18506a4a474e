package io.sparkps.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sparkps.driver.SparkPsCli;
import io.sparkps.driver.train.RunCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options of {@code sparkps resume} (the driver's and the DL4J module's): the checkpoint, the
 * token files of {@code --ps} servers and the train options that override the checkpointed job.
 * A checkpoint never holds a token; it records the absolute paths of the token files the run was
 * started with ({@link JobAsRun#checkpointYaml}), which a resume reads again unless given others.
 */
public final class ResumeOptions {
  static final String TOKEN = "ps-token-file";
  static final String ADMIN_TOKEN = "ps-admin-token-file";

  @Option(names = "--checkpoint", paramLabel = "URI", required = true,
      description = "The run's --checkpoint-dir (file://, hdfs://, or a local path).")
  String checkpoint;

  @Option(names = "--ps-token-file", paramLabel = "FILE",
      description = "File holding the --ps servers' worker token. Default: the file the run "
          + "was started with (its path is in the checkpoint's job.yaml; the token never is).")
  Path tokenFile;

  @Option(names = "--ps-admin-token-file", paramLabel = "FILE",
      description = "File holding the --ps servers' admin token (when they were started with "
          + "--admin-token-file). Default: the file the run was started with.")
  Path adminTokenFile;

  @Parameters(paramLabel = "TRAIN-OPTION", arity = "0..*",
      description = "train options that override the checkpointed job's, after '--'.")
  List<String> overrides = new ArrayList<>();

  /** The checkpoint directory named by {@code --checkpoint} as a URI. */
  public URI dir() {
    return dir(checkpoint);
  }

  /** {@code checkpoint} (a URI, or a local path) as a URI. */
  public static URI dir(String checkpoint) {
    return checkpoint.contains("://") ? URI.create(checkpoint)
        : Path.of(checkpoint).toAbsolutePath().toUri();
  }

  /**
   * Continues {@code run} with {@code train}, a train command (the driver's or the DL4J
   * module's) the caller has set up to resume it: says on the error stream from which epoch
   * ({@code checkpointed}) it goes on, and runs it with the checkpointed job as its defaults and
   * {@link #trainArgs} as its arguments.
   *
   * @return the train command's exit code
   */
  public int continueRun(CommandSpec spec, RunCheckpoint run,
      Optional<RunCheckpoint.Resumed> checkpointed, Object train) throws IOException {
    byte[] yaml = run.readJob();
    List<String> args = trainArgs(yaml); // the token files, before Spark starts
    Path job = Files.createTempFile("sparkps-resume-", ".yaml");
    try {
      Files.write(job, yaml);
      spec.commandLine().getErr().println(checkpointed.map(r -> "resuming run " + run.runId()
          + " after epoch " + r.state().epoch() + " of the checkpoint at " + dir())
          .orElse("no epoch of run " + run.runId() + " was checkpointed at " + dir()
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

  /**
   * The arguments of the train command that continues the run whose {@code job.yaml} is {@code
   * job}: the overrides, resume's token files and the checkpoint directory. Fails, naming the
   * fix, when the job trained against {@code --ps} servers and no token file is known, or when a
   * token file (given, or the one the run was started with) cannot be read.
   */
  public List<String> trainArgs(byte[] job) {
    JsonNode recorded = read(job);
    List<String> args = new ArrayList<>(overrides);
    Optional<Path> token = tokenFile(TOKEN, tokenFile, recorded, args);
    tokenFile(ADMIN_TOKEN, adminTokenFile, recorded, args);
    JsonNode servers = recorded.path("ps");
    boolean ps = (servers.isArray() ? servers.size() > 0 : !servers.asText("").isEmpty())
        || overrides.contains("--ps") || overrides.stream().anyMatch(o -> o.startsWith("--ps="));
    if (ps && token.isEmpty() && !overridden(TOKEN)) {
      throw new IllegalArgumentException("the run at " + dir() + " trained against --ps "
          + "servers and its checkpoint records no token file (it never holds a token); give "
          + "the servers' token files: sparkps resume --checkpoint " + checkpoint
          + " --ps-token-file FILE (and --ps-admin-token-file FILE when the servers have an "
          + "--admin-token-file).");
    }
    args.addAll(List.of("--checkpoint-dir", dir().toString()));
    return args;
  }

  /**
   * The token file {@code name} the resumed run reads: the one given to resume (added to {@code
   * args}), else the one recorded; checked readable. Empty when neither is known, or when the
   * overrides after '--' name it (train reads and checks that one).
   */
  private Optional<Path> tokenFile(String name, Path given, JsonNode recorded, List<String> args) {
    if (overridden(name)) {
      if (given != null) {
        throw new IllegalArgumentException("--" + name + " is given twice, as resume's option "
            + "and after '--'; give it once, as 'sparkps resume --checkpoint " + checkpoint
            + " --" + name + " FILE'.");
      }
      return Optional.empty();
    }
    Optional<Path> file = given != null ? Optional.of(given)
        : Optional.of(recorded.path(name).asText("")).filter(s -> !s.isEmpty()).map(Path::of);
    if (file.isPresent() && !Files.isReadable(file.get())) {
      throw new IllegalArgumentException("cannot read the --" + name + " " + file.get()
          + (given != null ? " given to resume" : " that the run was started with (its path "
          + "is recorded in the checkpoint's run/job.yaml)") + ": no readable file is there. "
          + "Give the file's current place: sparkps resume --checkpoint " + checkpoint + " --"
          + name + " FILE.");
    }
    if (given != null) {
      args.addAll(List.of("--" + name, given.toString()));
    }
    return file;
  }

  /** Whether the overrides after '--' name the option {@code name}. */
  private boolean overridden(String name) {
    return overrides.stream().anyMatch(o -> o.equals("--" + name)
        || o.startsWith("--" + name + "="));
  }

  private static JsonNode read(byte[] job) {
    try {
      JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(job);
      return n == null ? new ObjectMapper().createObjectNode() : n;
    } catch (IOException e) {
      throw new UncheckedIOException("the checkpoint's job.yaml is not readable YAML: "
          + e.getMessage(), e);
    }
  }
}
