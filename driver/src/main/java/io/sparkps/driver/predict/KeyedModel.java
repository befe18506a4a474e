package io.sparkps.driver.predict;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.train.CompactBatch;
import io.sparkps.ps.keyed.WeightsFileReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A keyed model directory opened for scoring: the shards' part files
 * ({@code keyed/part-SSSSS-of-TTTTT.spkw}, {@link WeightsFileReader}), read per chunk of rows.
 * For each chunk the sorted distinct keys of its rows are looked up in every part (a part reads
 * only the blocks that hold a requested key) and the chunk is scored by the compact model of
 * those keys ({@link CompactBatch}), so an executor holds one chunk's keys and the dense tail,
 * never the model. A key no part holds was never pushed: it scores with the row the servers
 * would have created for it, the model's seeded initial row; except in a model trained with
 * FTRL (the header's optimizer), whose parts leave out the rows that L1 made all zeros, where
 * such a key scores with zeros (exact for the keys L1 zeroed; a factorization machine's key
 * that training never touched loses its small random initial factors, which no trained weight
 * was fitted to).
 */
public final class KeyedModel implements AutoCloseable {
  /**
   * A keyed model directory's header ({@code ModelHeader} as JSON), written last, beside the
   * parts: a directory with it is complete. The one name every writer and reader uses.
   */
  public static final String HEADER = "keyed.json";
  /** The subdirectory of a keyed model directory that holds the parts. */
  public static final String PARTS = "keyed";
  private final List<WeightsFileReader> parts;
  private final SparseModel model;
  private final long initSeed;
  private final float[] tail;
  private final boolean absentIsZero;

  private KeyedModel(List<WeightsFileReader> parts, SparseModel model, long initSeed,
      float[] tail, boolean absentIsZero) {
    this.parts = parts;
    this.model = model;
    this.initSeed = initSeed;
    this.tail = tail;
    this.absentIsZero = absentIsZero;
  }

  /** Whether the header beside the parts names FTRL, whose all-zero rows are left out. */
  private static boolean ftrl(Path modelDir, FileSystem fs) throws IOException {
    Path h = new Path(modelDir, HEADER);
    if (!fs.exists(h)) {
      return false;
    }
    try (java.io.InputStream in = fs.open(h)) {
      return io.sparkps.core.io.ModelJson.newMapper().readValue(in.readAllBytes(),
          io.sparkps.core.io.ModelHeader.class).training().optimizer()
          instanceof io.sparkps.core.optim.Ftrl;
    }
  }

  /** Opens every part under {@code modelDir}/keyed; fails unless all T parts of T are there. */
  public static KeyedModel open(URI modelDir, Configuration conf) throws IOException {
    Path dir = new Path(new Path(modelDir), PARTS);
    FileSystem fs = dir.getFileSystem(conf);
    FileStatus[] files = fs.listStatus(dir, p -> p.getName().startsWith("part-")
        && p.getName().endsWith(".spkw"));
    Arrays.sort(files);
    List<WeightsFileReader> parts = new ArrayList<>();
    try {
      for (FileStatus f : files) {
        parts.add(WeightsFileReader.open(f.getPath().toUri()));
      }
      if (parts.isEmpty() || parts.get(0).shards() != parts.size()) {
        throw new IOException("the keyed model " + dir + " has " + parts.size() + " part files"
            + (parts.isEmpty() ? "" : " of " + parts.get(0).shards()) + "; export it again "
            + "from the servers (every shard writes one part)");
      }
      WeightsFileReader first = parts.get(0);
      SparseModel m = (SparseModel) new ObjectMapper().readValue(first.modelJson(),
          ModelSpec.class).build();
      float[] tail = new float[m.denseTail()];
      for (WeightsFileReader p : parts) {
        float[] slice = p.tail();
        System.arraycopy(slice, 0, tail, p.tailStart(), slice.length);
      }
      return new KeyedModel(List.copyOf(parts), m, first.initSeed(), tail,
          ftrl(new Path(modelDir), fs));
    } catch (IOException | RuntimeException e) {
      for (WeightsFileReader p : parts) {
        p.close();
      }
      throw e;
    }
  }

  /** The model the parts belong to. */
  public SparseModel model() {
    return model;
  }

  /**
   * Rows {@code [from, to)} of a block as the compact model of their keys, its parameters (the
   * keys' rows from the parts, then the tail) and the rows re-indexed to it: what any scoring
   * of the full model computes on those rows, the compact model computes on these.
   *
   * @param model the compact model
   * @param params its parameters
   * @param block the rows, re-indexed
   */
  public record Compact(SparseModel model, float[] params, SparseBlock block) {
  }

  /** Rows {@code [from, to)} of {@code block}, compact ({@link Compact}). */
  public Compact compact(SparseBlock block, int from, int to) {
    CompactBatch batch = CompactBatch.of(model, block, from, to);
    float[] params = new float[batch.parameterCount()];
    batch.assemble(rows(batch.keys()), tail, params);
    return new Compact(batch.model(), params, batch.blocks().get(0));
  }

  /**
   * Writes predictions for rows {@code [from, to)} of {@code block} to {@code out}
   * ({@code outputs} per row), as {@code Model.predict} with the full model would.
   */
  public void predict(SparseBlock block, int from, int to, float[] out) {
    Compact c = compact(block, from, to);
    c.model().predict(c.params(), c.block(), 0, to - from, out,
        c.model().newWorkspace(Math.max(1, to - from)));
  }

  /** The summed loss of rows {@code [from, to)} of {@code block}. */
  public double lossSum(SparseBlock block, int from, int to) {
    Compact c = compact(block, from, to);
    return c.model().loss(c.params(), c.block(), 0, to - from,
        c.model().newWorkspace(Math.max(1, to - from)));
  }

  /** The rows of the ascending {@code keys}: from the parts, else the initial rows. */
  private float[] rows(long[] keys) {
    int w = model.rowWidth();
    float[] rows = new float[keys.length * w];
    boolean[] found = new boolean[keys.length];
    try {
      for (WeightsFileReader p : parts) {
        p.lookup(keys, keys.length, rows, found);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the keyed model's parts failed: " + e.getMessage(),
          e);
    }
    for (int i = 0; i < keys.length; i++) {
      if (!found[i] && !absentIsZero) {
        model.initializeRow(rows, i * w, keys[i], initSeed);
      }
    }
    return rows;
  }

  @Override
  public void close() throws IOException {
    for (WeightsFileReader p : parts) {
      p.close();
    }
  }
}
