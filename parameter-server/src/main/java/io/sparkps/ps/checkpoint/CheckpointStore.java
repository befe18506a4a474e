package io.sparkps.ps.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Shard checkpoints under one directory URI: {@code <dir>/shard-00003-of-00004/v-000000000042.ckpt}.
 * A checkpoint is written under a temporary name and renamed into place, so a reader only ever
 * sees complete files. A restore takes the newest version every shard has ({@link #newestCommon});
 * a write keeps the two newest files up to its own version.
 */
public final class CheckpointStore {
  private static final Pattern NAME = Pattern.compile("v-(\\d{12})\\.ckpt");
  private static final int KEEP = 2;
  private final URI dir;
  private final FileSystem fs;

  public CheckpointStore(URI dir) {
    this.dir = dir;
    try {
      this.fs = FileSystem.get(dir, new Configuration());
    } catch (IOException e) {
      throw new IllegalArgumentException("could not open the checkpoint directory " + dir + ": "
          + e.getMessage() + "; check the URI scheme (file://, hdfs://) and access.", e);
    }
  }

  public URI dir() {
    return dir;
  }

  private Path shardDir(int shardId, int totalShards) {
    return new Path(new Path(dir), String.format("shard-%05d-of-%05d", shardId, totalShards));
  }

  /** Writes {@code c} atomically; returns the path written. */
  public Path write(ShardCheckpoint c) throws IOException {
    Path parent = shardDir(c.shardId(), c.totalShards());
    fs.mkdirs(parent);
    Path target = new Path(parent, fileName(c.version()));
    Path tmp = new Path(parent, "_tmp-" + target.getName() + "-" + UUID.randomUUID());
    try (FSDataOutputStream raw = fs.create(tmp, true)) {
      CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 20),
          new CRC32());
      DataOutputStream out = new DataOutputStream(checked);
      CheckpointFormat.write(out, c);
      out.flush();
      new DataOutputStream(checked).writeLong(checked.getChecksum().getValue());
      checked.flush();
      raw.hsync();
    }
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(tmp, target)) {
      fs.delete(tmp, false);
      throw new IOException("could not rename " + tmp + " to " + target + ".");
    }
    pruneOlder(parent, c.version());
    return target;
  }

  /** The newest complete checkpoint of a shard, skipping damaged files; empty if none. */
  public Optional<ShardCheckpoint> latest(int shardId, int totalShards) throws IOException {
    for (Path p : versions(shardDir(shardId, totalShards))) {
      try {
        return Optional.of(read(p));
      } catch (IOException e) {
        continue;
      }
    }
    return Optional.empty();
  }

  /**
   * The checkpoint of shard {@code shardId} to restore, whatever the shard count it was written
   * with: the newest version that every shard of that layout has a file for (shards whose
   * directory is not under this root are kept elsewhere and not counted), so that shards restore
   * one round even when a crash left some of them a version ahead. A damaged file is skipped for
   * the next common version. Empty if there is none.
   */
  public Optional<ShardCheckpoint> newestCommon(int shardId) throws IOException {
    Path root = new Path(dir);
    if (!fs.exists(root)) {
      return Optional.empty();
    }
    String prefix = String.format("shard-%05d-of-", shardId);
    Optional<ShardCheckpoint> best = Optional.empty();
    for (FileStatus st : fs.listStatus(root)) {
      String name = st.getPath().getName();
      if (st.isDirectory() && name.startsWith(prefix)) {
        int total = Integer.parseInt(name.substring(prefix.length()));
        Optional<ShardCheckpoint> c = newestReadable(shardId, total, commonVersions(total));
        if (c.isPresent() && (best.isEmpty() || c.get().version() > best.get().version())) {
          best = c;
        }
      }
    }
    return best;
  }

  /** The versions every shard directory of a layout of {@code total} shards holds, newest first. */
  private List<Long> commonVersions(int total) throws IOException {
    java.util.TreeSet<Long> common = null;
    for (int i = 0; i < total; i++) {
      Path shard = shardDir(i, total);
      if (!fs.exists(shard)) {
        continue;
      }
      java.util.TreeSet<Long> own = new java.util.TreeSet<>();
      for (Path p : versions(shard)) {
        own.add(version(p));
      }
      if (common == null) {
        common = own;
      } else {
        common.retainAll(own);
      }
    }
    return common == null ? List.of() : new ArrayList<>(common.descendingSet());
  }

  private Optional<ShardCheckpoint> newestReadable(int shardId, int total, List<Long> versions)
      throws IOException {
    Path parent = shardDir(shardId, total);
    for (long v : versions) {
      try {
        return Optional.of(read(new Path(parent, fileName(v))));
      } catch (IOException e) {
        continue;
      }
    }
    return Optional.empty();
  }

  /**
   * Reads one file: first its CRC, in a pass that allocates nothing but a buffer, then its
   * fields, each count checked against the bytes left and the layout before allocation.
   */
  private ShardCheckpoint read(Path p) throws IOException {
    long length = fs.getFileStatus(p).getLen();
    if (length < Long.BYTES) {
      throw new IOException("checkpoint " + p + " is " + length + " bytes, too short.");
    }
    long body = length - Long.BYTES;
    try (InputStream raw = fs.open(p)) {
      CRC32 crc = new CRC32();
      byte[] buf = new byte[1 << 16];
      for (long left = body; left > 0; ) {
        int n = raw.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("checkpoint " + p + " ended while its CRC was checked.");
        }
        crc.update(buf, 0, n);
        left -= n;
      }
      if (new DataInputStream(raw).readLong() != crc.getValue()) {
        throw new IOException("checkpoint " + p + " fails its CRC check.");
      }
    }
    try (InputStream raw = fs.open(p)) {
      return CheckpointFormat.read(new DataInputStream(new BufferedInputStream(raw, 1 << 20)),
          body);
    } catch (IOException | RuntimeException e) {
      throw new IOException("checkpoint " + p + " is damaged: " + e.getMessage(), e);
    }
  }

  private static String fileName(long version) {
    return String.format("v-%012d.ckpt", version);
  }

  private static long version(Path p) {
    Matcher m = NAME.matcher(p.getName());
    if (!m.matches()) {
      throw new IllegalArgumentException(p + " is not a checkpoint file name.");
    }
    return Long.parseLong(m.group(1));
  }

  private List<Path> versions(Path parent) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!fs.exists(parent)) {
      return out;
    }
    for (FileStatus st : fs.listStatus(parent)) {
      Matcher m = NAME.matcher(st.getPath().getName());
      if (st.isFile() && m.matches()) {
        out.add(st.getPath());
      }
    }
    out.sort(Comparator.comparing((Path p) -> p.getName()).reversed());
    return out;
  }

  /**
   * Deletes all but the {@link #KEEP} newest files of versions up to {@code written}. Files of
   * higher versions are never the writer's own (a run's versions only grow): they are left for
   * whoever owns them, and never make the writer's new file the one pruned.
   */
  private void pruneOlder(Path parent, long written) throws IOException {
    List<Path> own = versions(parent).stream().filter(p -> version(p) <= written).toList();
    for (int i = KEEP; i < own.size(); i++) {
      fs.delete(own.get(i), false);
    }
  }
}
