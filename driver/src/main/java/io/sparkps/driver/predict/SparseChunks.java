package io.sparkps.driver.predict;

import io.sparkps.core.data.SparseBlockBuilder;
import io.sparkps.core.data.SparseRow;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Scores Spark rows with a sparse model a chunk at a time: each row's entries go into one
 * sparse block per chunk, the model predicts the chunk, and each row gets its prediction. The
 * one loop behind {@code predict} and the Spark ML models' {@code transform}.
 */
public final class SparseChunks {
  private SparseChunks() {
  }

  /** Writes a row's normalized sparse entries to {@code out}. */
  @FunctionalInterface
  public interface Entries {
    void read(Row row, SparseRow out);
  }

  /** The scored row, from the model's {@code k} outputs at {@code out[off..off+k)}. */
  @FunctionalInterface
  public interface Append {
    Row apply(Row row, float[] out, int off, int k);
  }

  /** Predicts rows {@code [0, rows)} of a chunk's block into {@code out}. */
  @FunctionalInterface
  public interface Predictor {
    void predict(io.sparkps.core.data.SparseBlock block, int rows, float[] out);
  }

  /** Scores {@code rows} in chunks of {@code chunk} rows. */
  public static Iterator<Row> score(Iterator<Row> rows, ModelSpec spec, float[] params,
      int fields, int chunk, Entries entries, Append append) {
    Model model = spec.build();
    Model.Workspace ws = model.newWorkspace(chunk);
    return score(rows, spec, (b, n, out) -> model.predict(params, b, 0, n, out, ws), fields,
        chunk, entries, append);
  }

  /**
   * Scores {@code rows} in chunks of {@code chunk} rows with {@code predictor} (a model held
   * elsewhere, e.g. a keyed model directory read per chunk).
   */
  public static Iterator<Row> score(Iterator<Row> rows, ModelSpec spec, Predictor predictor,
      int fields, int chunk, Entries entries, Append append) {
    int k = spec.outputs();
    float[] out = new float[chunk * k];
    SparseBlockBuilder block = new SparseBlockBuilder(spec.inputs(), fields);
    SparseRow row = new SparseRow();
    List<Row> pending = new ArrayList<>(chunk);
    List<Row> result = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      pending.add(r);
      entries.read(r, row);
      block.add(row, 0f);
      if (pending.size() == chunk || !rows.hasNext()) {
        predictor.predict(block.build(), pending.size(), out);
        for (int i = 0; i < pending.size(); i++) {
          result.add(append.apply(pending.get(i), out, i * k, k));
        }
        pending.clear();
        block.clear();
      }
    }
    return result.iterator();
  }
}
