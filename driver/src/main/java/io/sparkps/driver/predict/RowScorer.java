package io.sparkps.driver.predict;

import io.sparkps.core.data.ExampleBlock;
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

  /**
   * @param featureColumns indices of the numeric feature columns, in the model's order; empty
   *     when {@code vectorColumn} holds the features
   * @param vectorColumn index of an ML vector column, or -1
   */
  public RowScorer(ModelSpec spec, float[] params, Standardizer standardizer,
      int[] featureColumns, int vectorColumn, List<String> classes) {
    this.spec = spec;
    this.params = params;
    this.standardizer = standardizer;
    this.featureColumns = featureColumns.clone();
    this.vectorColumn = vectorColumn;
    this.classes = List.copyOf(classes);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
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
