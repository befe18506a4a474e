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
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The driver's half of a checkpoint, beside the parameter server's: the job as run
 * ({@code job.yaml}), the last completed epoch with its history, and the early-stopping state
 * ({@code state.json}, {@code best.bin}), under {@code <checkpoint-dir>/run/}. Each file is
 * written to a temporary name and renamed over the old one, through the Hadoop file system, so
 * {@code file://} and {@code hdfs://} both work and a crash leaves the previous state whole.
 */
public final class RunCheckpoint {
  /** Where the parameter server keeps its shards' checkpoints, under the checkpoint dir. */
  public static final String PS_DIR = "ps";
  private static final String RUN_DIR = "run";
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
  private final Path dir;

  public RunCheckpoint(URI checkpointDir, Configuration hadoop) {
    try {
      this.dir = new Path(new Path(checkpointDir), RUN_DIR);
      this.fc = FileContext.getFileContext(dir.toUri(), hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open checkpoint directory " + checkpointDir + ": "
          + e.getMessage(), e);
    }
  }

  /** The parameter server's checkpoint directory for {@code checkpointDir}. */
  public static URI psDir(URI checkpointDir) {
    return new Path(new Path(checkpointDir), PS_DIR).toUri();
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
