package io.sparkps.driver.data;

import java.util.Locale;

/** The file formats SparkPS reads; {@code AUTO} looks at the data to choose. */
public enum SourceFormat {
  /** Parquet when the files are Parquet, LibSVM when a row reads {@code label i:v ...}, else CSV. */
  AUTO,
  /** Delimited text with numeric features and one label column. */
  CSV,
  /** Sparse {@code label index:value ...} text, densified. */
  LIBSVM,
  /** A Spark ML vector column and a label, or numeric columns and a label. */
  PARQUET;

  /** The format named {@code name} (any case), as the command line and job files spell it. */
  public static SourceFormat parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the data format must be auto, csv, libsvm or parquet, "
          + "got '" + name + "'", e);
    }
  }
}
