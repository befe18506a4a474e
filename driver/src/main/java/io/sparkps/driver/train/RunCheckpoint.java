package io.sparkps.driver.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.train.EarlyStopping;
import io.sparkps.core.train.EpochStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The driver's half of a checkpoint, beside the parameter server's: the job as run
 * ({@code job.yaml}), the last completed epoch with its history, and the early-stopping state
 * ({@code state.json}, {@code best.bin}), under {@code <checkpoint-dir>/run/}, with the run id
 * ({@code run/run-id}) that claimed the directory; the server's shards checkpoint under
 * {@code <checkpoint-dir>/ps/<run id>/}. Each file is
 * written to a temporary name and renamed over the old one, through the Hadoop file system, so
 * {@code file://} and {@code hdfs://} both work and a crash leaves the previous state whole.
 */
public final class RunCheckpoint {
  /** Where the parameter server keeps its shards' checkpoints, under the checkpoint dir. */
  public static final String PS_DIR = "ps";
  private static final String RUN_DIR = "run";
  private static final String RUN_ID = "run-id";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The driver's state after {@code epoch} (1-based). {@code reference} (the loss of the last
   * check that improved by --tol) and {@code localSteps} (what the run used, the choice of
   * "auto") are null in checkpoints written before they existed.
   */
  public record State(int epoch, List<EpochStats> history, double bestLoss, int bestEpoch,
      int sinceBest, Double reference, Integer localSteps) {

    /** A state without the convergence reference and local steps. */
    public State(int epoch, List<EpochStats> history, double bestLoss, int bestEpoch,
        int sinceBest) {
      this(epoch, history, bestLoss, bestEpoch, sinceBest, null, null);
    }
  }

  private final FileContext fc;
  private final Path root;
  private final Path dir;
  private final String runId;

  private RunCheckpoint(FileContext fc, Path root, String runId) {
    this.fc = fc;
    this.root = root;
    this.dir = new Path(root, RUN_DIR);
    this.runId = runId;
  }

  /**
   * Claims {@code checkpointDir} for a new run with a fresh run id. The directory must be absent
   * or empty: a run never writes into another run's checkpoints (whose higher versions would
   * otherwise win a restore and prune the new run's files). The claim is one atomic rename that
   * fails if another run got there first.
   */
  public static RunCheckpoint create(URI checkpointDir, Configuration hadoop) {
    Path root = new Path(checkpointDir);
    FileContext fc = context(root, hadoop);
    String id = newRunId();
    try {
      if (fc.util().exists(root) && fc.listStatus(root).hasNext()) {
        throw inUse(checkpointDir, readRunId(fc, root));
      }
      Path marker = new Path(new Path(root, RUN_DIR), RUN_ID);
      Path tmp = new Path(marker.getParent(), "." + RUN_ID + "-" + id + ".tmp");
      try (OutputStream out = fc.create(tmp, EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE),
          Options.CreateOpts.createParent())) {
        out.write(id.getBytes(StandardCharsets.UTF_8));
      }
      if (!claim(fc, tmp, marker)) {
        fc.delete(tmp, false);
        throw inUse(checkpointDir, readRunId(fc, root));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim checkpoint directory " + checkpointDir + ": "
          + e.getMessage(), e);
    }
    return new RunCheckpoint(fc, root, id);
  }

  /**
   * Moves {@code tmp} to {@code marker} unless the marker exists, atomically: false when another
   * run's marker is there. Hadoop's rename without overwrite is atomic on HDFS, but the local
   * file system checks and then renames (two runs at once could both win), so a {@code file:}
   * marker is made with a hard link, which the kernel refuses when the name exists.
   */
  private static boolean claim(FileContext fc, Path tmp, Path marker) throws IOException {
    if ("file".equals(fc.makeQualified(marker).toUri().getScheme())) {
      java.nio.file.Path target = java.nio.file.Paths.get(fc.makeQualified(marker).toUri());
      java.nio.file.Path source = java.nio.file.Paths.get(fc.makeQualified(tmp).toUri());
      try {
        java.nio.file.Files.createLink(target, source);
        fc.delete(tmp, false);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
        // a file system without hard links: Hadoop's rename below
      }
    }
    try {
      fc.rename(tmp, marker, Options.Rename.NONE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /** Opens the checkpoints of the run that claimed {@code checkpointDir}, to resume it. */
  public static RunCheckpoint open(URI checkpointDir, Configuration hadoop) {
    Path root = new Path(checkpointDir);
    FileContext fc = context(root, hadoop);
    try {
      return new RunCheckpoint(fc, root, readRunId(fc, root).orElseThrow(() ->
          new IllegalArgumentException(checkpointDir + " holds no " + RUN_DIR + "/" + RUN_ID
              + ": it is not the checkpoint directory of a SparkPS run ('train "
              + "--checkpoint-dir DIR' writes one); pass the --checkpoint-dir of the run to "
              + "resume")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint directory " + checkpointDir + ": "
          + e.getMessage(), e);
    }
  }

  private static FileContext context(Path root, Configuration hadoop) {
    try {
      return FileContext.getFileContext(root.toUri(), hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open checkpoint directory " + root + ": "
          + e.getMessage(), e);
    }
  }

  private static String newRunId() {
    byte[] b = new byte[4];
    new SecureRandom().nextBytes(b);
    return STAMP.format(Instant.now()) + "-" + HexFormat.of().formatHex(b);
  }

  private static Optional<String> readRunId(FileContext fc, Path root) throws IOException {
    Path marker = new Path(new Path(root, RUN_DIR), RUN_ID);
    if (!fc.util().exists(marker)) {
      return Optional.empty();
    }
    try (InputStream in = fc.open(marker)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
  }

  private static IllegalArgumentException inUse(URI checkpointDir, Optional<String> other) {
    return new IllegalArgumentException("--checkpoint-dir " + checkpointDir + " is not empty: "
        + other.map(id -> "it holds the checkpoints of run " + id + "; continue that run with "
            + "'sparkps resume --checkpoint " + checkpointDir + "', or ")
            .orElse("it holds files of no SparkPS run; ")
        + "pass a new or empty --checkpoint-dir, or delete " + checkpointDir
        + " to start over");
  }

  /** The run's id, fixed when {@link #create} claimed the directory. */
  public String runId() {
    return runId;
  }

  /**
   * The parameter server's checkpoint directory of this run: {@code <dir>/ps/<run id>}, so no
   * other run's shard files can ever be restored or pruned by it.
   */
  public URI psDir() {
    return new Path(new Path(root, PS_DIR), runId).toUri();
  }

  public void writeJob(byte[] yaml) {
    write("job.yaml", yaml);
  }

  public byte[] readJob() {
    return read("job.yaml").orElseThrow(() -> new IllegalArgumentException(dir
        + " holds no job.yaml: this is not a SparkPS checkpoint (train --checkpoint-dir writes "
        + "one)"));
  }

  /** Records the end of an epoch: early-stopping parameters first, then the state naming it. */
  public void write(State s, EarlyStopping.State stopping) {
    ByteBuffer b = ByteBuffer.allocate(4 * stopping.bestParams().length)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(stopping.bestParams());
    write("best-epoch-" + s.epoch() + ".bin", b.array());
    try {
      write("state.json", JSON.writeValueAsBytes(s));
      if (s.epoch() > 1) {
        fc.delete(new Path(dir, "best-epoch-" + (s.epoch() - 1) + ".bin"), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run state to " + dir + ": "
          + e.getMessage(), e);
    }
  }

  /** The last completed epoch's state and early-stopping state, if an epoch completed. */
  public Optional<Resumed> read() {
    return read("state.json").map(bytes -> {
      try {
        State s = JSON.readValue(bytes, State.class);
        ByteBuffer b = ByteBuffer.wrap(read("best-epoch-" + s.epoch() + ".bin").orElseThrow())
            .order(ByteOrder.LITTLE_ENDIAN);
        float[] best = new float[b.remaining() / 4];
        b.asFloatBuffer().get(best);
        return new Resumed(s, new EarlyStopping.State(s.bestLoss(), s.bestEpoch(),
            s.sinceBest(), best, s.reference()));
      } catch (IOException e) {
        throw new UncheckedIOException(dir + "/state.json is unreadable: " + e.getMessage(), e);
      }
    });
  }

  /** A run's state as read back. */
  public record Resumed(State state, EarlyStopping.State stopping) {
  }

  private void write(String name, byte[] bytes) {
    Path target = new Path(dir, name);
    Path tmp = new Path(dir, "." + name + ".tmp");
    try {
      fc.mkdir(dir, null, true);
      try (OutputStream out = fc.create(tmp, EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE),
          Options.CreateOpts.createParent())) {
        out.write(bytes);
      }
      fc.rename(tmp, target, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private Optional<byte[]> read(String name) {
    Path p = new Path(dir, name);
    try {
      if (!fc.util().exists(p)) {
        return Optional.empty();
      }
      try (InputStream in = fc.open(p)) {
        return Optional.of(in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
