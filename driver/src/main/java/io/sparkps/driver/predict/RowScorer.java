package io.sparkps.driver.predict;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.FeatureHashing;
import io.sparkps.core.data.SparseRow;
import io.sparkps.core.model.DenseSpec;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores Spark rows with a saved model, a chunk of rows at a time: reads the feature columns
 * (numeric columns, or one ML vector column), applies the model's standardization, and appends
 * the prediction and, for classifiers, the predicted class name and one probability per class.
 */
public final class RowScorer implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final int CHUNK = 4096;

  private final ModelSpec spec;
  private final float[] params;
  private final Standardizer standardizer;
  private final int[] featureColumns;
  private final int vectorColumn;
  private final List<String> classes;
  private final FeatureHashing hashing;
  /** A keyed model directory to score from (read per chunk), or null for {@link #params}. */
  private final String keyedDir;

  /**
   * @param featureColumns indices of the numeric feature columns, in the model's order; empty
   *     when {@code vectorColumn} holds the features
   * @param vectorColumn index of an ML vector column, or -1
   */
  public RowScorer(ModelSpec spec, float[] params, Standardizer standardizer,
      int[] featureColumns, int vectorColumn, List<String> classes) {
    this(spec, params, standardizer, featureColumns, vectorColumn, classes, null);
  }

  /**
   * A scorer of a sparse model: with {@code hashing} (not null) the {@code featureColumns} are
   * the model's raw columns, hashed as in training; otherwise the vector column or the numeric
   * columns give the sparse rows.
   */
  public RowScorer(ModelSpec spec, float[] params, Standardizer standardizer,
      int[] featureColumns, int vectorColumn, List<String> classes, FeatureHashing hashing) {
    this(spec, params, standardizer, featureColumns, vectorColumn, classes, hashing, null);
  }

  /**
   * A scorer of a sparse model held in a keyed model directory ({@code keyedDir}, an absolute
   * Hadoop URI; {@link KeyedModel}): each partition reads only its chunks' keys from the parts.
   */
  public static RowScorer keyed(ModelSpec spec, String keyedDir, Standardizer standardizer,
      int[] featureColumns, int vectorColumn, List<String> classes, FeatureHashing hashing) {
    return new RowScorer(spec, new float[0], standardizer, featureColumns, vectorColumn, classes,
        hashing, keyedDir);
  }

  private RowScorer(ModelSpec spec, float[] params, Standardizer standardizer,
      int[] featureColumns, int vectorColumn, List<String> classes, FeatureHashing hashing,
      String keyedDir) {
    this.keyedDir = keyedDir;
    this.hashing = hashing;
    this.spec = spec;
    this.params = params;
    this.standardizer = standardizer;
    this.featureColumns = featureColumns.clone();
    this.vectorColumn = vectorColumn;
    this.classes = List.copyOf(classes);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!(spec instanceof DenseSpec)) {
      return sparse(rows);
    }
    Model model = spec.build();
    Model.Workspace ws = model.newWorkspace(CHUNK);
    int d = spec.inputs();
    int k = model.outputs();
    float[] x = new float[CHUNK * d];
    float[] out = new float[CHUNK * k];
    List<Row> chunk = new ArrayList<>(CHUNK);
    List<Row> result = new ArrayList<>();
    while (rows.hasNext()) {
      chunk.add(rows.next());
      if (chunk.size() == CHUNK || !rows.hasNext()) {
        for (int i = 0; i < chunk.size(); i++) {
          readFeatures(chunk.get(i), x, i * d, d);
        }
        ExampleBlock block = new ExampleBlock(chunk.size(), d, x, new float[chunk.size()]);
        standardizer.applyInPlace(block);
        model.predict(params, block, 0, chunk.size(), out, ws);
        for (int i = 0; i < chunk.size(); i++) {
          result.add(withPrediction(chunk.get(i), out, i * k, k));
        }
        chunk.clear();
      }
    }
    return result.iterator();
  }

  /** Scores a sparse model: each chunk of rows becomes one sparse block. */
  private Iterator<Row> sparse(Iterator<Row> rows) {
    FeatureHashing.Compiled compiled = hashing == null ? null : hashing.compile();
    int fields = hashing == null ? 0 : hashing.fields();
    if (keyedDir == null) {
      return SparseChunks.score(rows, spec, params, fields, CHUNK,
          (row, out) -> sparseFeatures(row, compiled, out), this::withPrediction);
    }
    // SparseChunks scores the whole partition before it returns: the parts close after it
    try (KeyedModel keyed = KeyedModel.open(java.net.URI.create(keyedDir),
        new org.apache.hadoop.conf.Configuration())) {
      return SparseChunks.score(rows, spec, (b, n, out) -> keyed.predict(b, 0, n, out), fields,
          CHUNK, (row, out) -> sparseFeatures(row, compiled, out), this::withPrediction);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("reading the keyed model at " + keyedDir
          + " failed: " + e.getMessage(), e);
    }
  }

  private void sparseFeatures(Row row, FeatureHashing.Compiled compiled, SparseRow out) {
    out.clear();
    if (compiled != null) {
      for (int f = 0; f < featureColumns.length; f++) {
        Object cell = row.get(featureColumns[f]);
        String text = cell == null ? "" : cell.toString().trim();
        try {
          compiled.add(f, text, out);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("column " + hashing.columns().get(f) + " holds '"
              + text + "', which is not a finite number; the model reads it as a numeric "
              + "column (row " + row + ")");
        }
      }
    } else if (vectorColumn >= 0) {
      Vector v = row.getAs(vectorColumn);
      if (v.size() > spec.inputs()) {
        throw new IllegalArgumentException("a row's feature vector has " + v.size()
            + " entries but the model takes " + spec.inputs());
      }
      io.sparkps.driver.data.VectorRows.entries(v, out);
      return;
    } else {
      float[] x = new float[featureColumns.length];
      readFeatures(row, x, 0, featureColumns.length);
      for (int j = 0; j < x.length; j++) {
        if (x[j] != 0f) {
          out.add(j, x[j], 0);
        }
      }
    }
    out.normalize();
  }

  private void readFeatures(Row row, float[] x, int off, int d) {
    if (vectorColumn >= 0) {
      Vector v = row.getAs(vectorColumn);
      if (v.size() > d) {
        throw new IllegalArgumentException("a row's feature vector has " + v.size()
            + " entries but the model takes " + d);
      }
      java.util.Arrays.fill(x, off, off + d, 0f);
      v.foreachActive((i, value) -> {
        x[off + (int) i] = (float) (double) value;
        return null;
      });
      return;
    }
    for (int j = 0; j < d; j++) {
      Object cell = row.get(featureColumns[j]);
      if (!(cell instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw new IllegalArgumentException("column " + row.schema().fields()[featureColumns[j]]
            .name() + " holds '" + cell + "'; features must be finite numbers (row " + row + ")");
      }
      x[off + j] = n.floatValue();
    }
  }

  private Row withPrediction(Row row, float[] out, int off, int k) {
    Object[] values = new Object[row.length() + extraColumns()];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    int c = row.length();
    Task task = spec.task();
    if (task == Task.REGRESSION) {
      values[c] = (double) out[off];
      return RowFactory.create(values);
    }
    int best = 0;
    if (k == 1) {
      best = out[off] >= 0.5f ? 1 : 0;
    } else {
      for (int j = 1; j < k; j++) {
        best = out[off + j] > out[off + best] ? j : best;
      }
    }
    values[c++] = (double) best;
    values[c++] = classes.get(best);
    for (int j = 0; j < classes.size(); j++) {
      values[c++] = (double) (k == 1 ? (j == 1 ? out[off] : 1 - out[off]) : out[off + j]);
    }
    return RowFactory.create(values);
  }

  /** How many columns scoring appends. */
  public int extraColumns() {
    return spec.task() == Task.REGRESSION ? 1 : 2 + classes.size();
  }
}
