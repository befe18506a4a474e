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
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Shard checkpoints under one directory URI: {@code <dir>/shard-00003-of-00004/v-000000000042.ckpt}.
 * A checkpoint is written under a temporary name and renamed into place, so a reader only ever
 * sees complete files; the newest readable one (CRC-checked) wins, and the two newest are kept.
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
    Path target = new Path(parent, String.format("v-%012d.ckpt", c.version()));
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
    pruneOld(parent);
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

  /** The newest checkpoint of shard {@code shardId} whatever the shard count it was written with. */
  public Optional<ShardCheckpoint> latestAnyLayout(int shardId) throws IOException {
    Path root = new Path(dir);
    if (!fs.exists(root)) {
      return Optional.empty();
    }
    String prefix = String.format("shard-%05d-of-", shardId);
    for (FileStatus st : fs.listStatus(root)) {
      if (st.isDirectory() && st.getPath().getName().startsWith(prefix)) {
        int total = Integer.parseInt(st.getPath().getName().substring(prefix.length()));
        return latest(shardId, total);
      }
    }
    return Optional.empty();
  }

  private ShardCheckpoint read(Path p) throws IOException {
    try (InputStream raw = fs.open(p)) {
      CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(raw, 1 << 20),
          new CRC32());
      ShardCheckpoint c = CheckpointFormat.read(new DataInputStream(checked));
      long expected = checked.getChecksum().getValue();
      long stored = new DataInputStream(checked).readLong();
      if (stored != expected) {
        throw new IOException("checkpoint " + p + " fails its CRC check.");
      }
      return c;
    } catch (RuntimeException e) {
      throw new IOException("checkpoint " + p + " is damaged: " + e.getMessage(), e);
    }
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

  private void pruneOld(Path parent) throws IOException {
    List<Path> all = versions(parent);
    for (int i = KEEP; i < all.size(); i++) {
      fs.delete(all.get(i), false);
    }
  }
}
