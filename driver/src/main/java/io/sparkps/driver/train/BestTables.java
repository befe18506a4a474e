package io.sparkps.driver.train;

import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.keyed.WeightsFileReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The keyed model of the best epoch so far, kept beside the model directory's final place: when
 * an epoch's held-out loss is the best yet, the shards export their tables into
 * {@code <model dir>/.best-epoch-N/keyed/} (each part written atomically by its shard), and the
 * run names epoch N as its best only afterwards (in the run's checkpoint, when it has one), so
 * the directory of the epoch a checkpoint names is always complete. At the end the best epoch's
 * {@code keyed/} is renamed into the model directory. Directories of other epochs are left-overs
 * of a superseded best or of a crash, and are deleted.
 */
final class BestTables {
  private static final String PREFIX = ".best-epoch-";
  private final Path modelDir;
  private final FileSystem fs;

  BestTables(URI modelDir, Configuration hadoop) {
    this.modelDir = new Path(modelDir);
    try {
      this.fs = this.modelDir.getFileSystem(hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the model directory " + modelDir + ": "
          + e.getMessage(), e);
    }
  }

  private Path dir(int epoch) {
    return new Path(modelDir, PREFIX + epoch);
  }

  /** Has the shards write the tables of {@code epoch} (they must not change meanwhile). */
  void export(int epoch, ParameterServerAdmin admin, Duration timeout) {
    try {
      fs.delete(dir(epoch), true); // a crashed export of the same epoch
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir(epoch) + ": " + e.getMessage(), e);
    }
    admin.exportKeyed(dir(epoch).toUri(), timeout);
  }

  /** Deletes every best-epoch directory but {@code keep}'s. */
  void prune(int keep) {
    try {
      if (!fs.exists(modelDir)) {
        return;
      }
      for (FileStatus s : fs.listStatus(modelDir)) {
        String name = s.getPath().getName();
        if (s.isDirectory() && name.startsWith(PREFIX) && !name.equals(PREFIX + keep)) {
          fs.delete(s.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prune the best-epoch tables in " + modelDir + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Moves {@code epoch}'s tables to {@code <model dir>/keyed} (replacing what is there) and
   * returns the keys its parts hold.
   */
  long install(int epoch) {
    Path from = new Path(dir(epoch), io.sparkps.driver.predict.KeyedModel.PARTS);
    Path to = new Path(modelDir, io.sparkps.driver.predict.KeyedModel.PARTS);
    try {
      if (!fs.exists(from) && fs.exists(to)) {
        // a resumed run whose driver died after the move: the tables are in place
        fs.delete(dir(epoch), true);
        return keys(to);
      }
      if (!fs.exists(from)) {
        throw new IllegalStateException("the tables of the best epoch " + epoch + " are missing "
            + "from " + from + "; they were deleted while the run was stopped. Train again "
            + "with a new --out (and --checkpoint-dir).");
      }
      fs.delete(to, true);
      if (!fs.rename(from, to)) {
        throw new IOException("could not rename " + from + " to " + to);
      }
      fs.delete(dir(epoch), true);
      return keys(to);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the best epoch's tables from " + from + " to "
          + to + ": " + e.getMessage(), e);
    }
  }

  /** The keys the parts in {@code keyed} hold, from their headers. */
  private long keys(Path keyed) throws IOException {
    long keys = 0;
    for (FileStatus s : fs.listStatus(keyed)) {
      if (s.getPath().getName().endsWith(".spkw")) {
        try (WeightsFileReader r = WeightsFileReader.open(s.getPath().toUri())) {
          keys += r.keyCount();
        }
      }
    }
    return keys;
  }
}
