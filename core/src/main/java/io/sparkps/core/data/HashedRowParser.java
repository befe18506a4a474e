package io.sparkps.core.data;

import java.util.List;

/**
 * Parses one line of delimited text into a sparse row by {@link FeatureHashing}: every feature
 * column becomes one entry (or none, for a numeric zero), its field the column's position among
 * the feature columns. Errors name the source, the line, the column and the value, as
 * {@link RowParser}'s do.
 */
public final class HashedRowParser implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final RowParser columns;
  private final FeatureHashing hashing;
  private transient FeatureHashing.Compiled compiled;

  /**
   * A parser for the columns {@code columns} knows (its label column is left out); the hashing's
   * feature columns must be those columns, in order.
   */
  public HashedRowParser(RowParser columns, FeatureHashing hashing) {
    if (!columns.featureNames().equals(hashing.columns())) {
      throw new DataFormatException(columns.source(), 0, "the feature columns "
          + columns.featureNames() + " differ from the model's " + hashing.columns()
          + "; score data with the columns the model was trained on");
    }
    this.columns = columns;
    this.hashing = hashing;
  }

  public FeatureHashing hashing() {
    return hashing;
  }

  /** Writes the normalized features of {@code line} to {@code out}; returns the label text. */
  public String parse(String line, long lineNo, SparseRow out) {
    if (compiled == null) {
      compiled = hashing.compile();
    }
    List<String> names = columns.columnNames();
    List<String> cells = RowParser.split(line, columns.delimiter());
    if (cells.size() != names.size()) {
      throw new DataFormatException(columns.source(), lineNo, "expected " + names.size()
          + " columns, found " + cells.size() + "; every row needs the same columns");
    }
    out.clear();
    String label = "";
    int field = 0;
    for (int j = 0; j < cells.size(); j++) {
      String cell = cells.get(j).trim();
      if (j == columns.labelIndex()) {
        if (cell.isEmpty()) {
          throw new DataFormatException(columns.source(), lineNo, "the label (column "
              + names.get(j) + ") is missing; remove the row or fill in its label");
        }
        label = cell;
        continue;
      }
      try {
        compiled.add(field, cell, out);
      } catch (NumberFormatException e) {
        throw new DataFormatException(columns.source(), lineNo, "column " + names.get(j)
            + " holds '" + cell + "', which is not a finite number; numeric columns must hold "
            + "numbers or be empty (missing), or name the column in --categorical to hash its "
            + "values as categories");
      }
      field++;
    }
    out.normalize();
    return label;
  }
}
