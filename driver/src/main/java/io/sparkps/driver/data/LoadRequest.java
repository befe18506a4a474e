package io.sparkps.driver.data;

import io.sparkps.core.data.CsvOptions;
import io.sparkps.core.model.Task;

/**
 * What to load and how: the source, how to read it, how to encode labels and scale features, how
 * to split and partition, and what to do with bad rows. Validated when built.
 *
 * @param path a file, directory or glob on any Hadoop file system ({@code file://},
 *     {@code hdfs://}, {@code s3a://} with its connector, or a plain path)
 * @param format the file format, or {@link SourceFormat#AUTO} to tell by the data
 * @param csv delimiter, skipped lines, header and label column of delimited text; the label column
 *     also names the label of Parquet data (a name, or an index among the non-vector columns)
 * @param libSvmFeatures the LibSVM feature count, or 0 to take the largest index seen
 * @param vectorColumn the Parquet column holding a Spark ML vector of features
 * @param labels learn the classes ({@link LabelSpec#fit}) or use a trained model's
 * @param partitions worker partitions to cache, one block each (1 to {@value Chunks#MAX_TARGETS})
 * @param validationFraction share of rows held out, in [0, 1)
 * @param seed seeds the split
 * @param standardization how to scale the features
 * @param badRows fail on a bad row, or skip and count it
 * @param encoding dense blocks, sparse blocks, or hashed sparse blocks of delimited rows
 */
public record LoadRequest(String path, SourceFormat format, CsvOptions csv, int libSvmFeatures,
    String vectorColumn, LabelSpec labels, int partitions, double validationFraction, long seed,
    Standardization standardization, BadRowPolicy badRows, RowEncoding encoding) {

  public LoadRequest {
    if (path.isBlank()) {
      throw new IllegalArgumentException("the data path is blank; pass --data PATH");
    }
    if (libSvmFeatures < 0) {
      throw new IllegalArgumentException("the LibSVM feature count must be 0 (the largest index) "
          + "or more, got " + libSvmFeatures + " (--features)");
    }
    if (partitions < 1 || partitions > Chunks.MAX_TARGETS) {
      throw new IllegalArgumentException("the number of worker partitions must be 1 to "
          + Chunks.MAX_TARGETS + ", got " + partitions + " (--workers)");
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("the validation fraction must be at least 0 and below "
          + "1, got " + validationFraction + " (--validation)");
    }
    if (vectorColumn.isBlank()) {
      throw new IllegalArgumentException("the Parquet vector column name is blank; give a column "
          + "name (default 'features')");
    }
  }

  /**
   * Training defaults: the format told by the data, CSV with a header and the label last, vector
   * column {@code features}, no validation split, seed 42, standardized, failing on bad rows.
   */
  public static LoadRequest of(String path, Task task, int partitions) {
    return new LoadRequest(path, SourceFormat.AUTO, CsvOptions.defaults(), 0, "features",
        LabelSpec.fit(task), partitions, 0.0, 42L, Standardization.fitOnTrain(),
        BadRowPolicy.FAIL, RowEncoding.dense());
  }

  public LoadRequest withFormat(SourceFormat value) {
    return new LoadRequest(path, value, csv, libSvmFeatures, vectorColumn, labels, partitions,
        validationFraction, seed, standardization, badRows, encoding);
  }

  public LoadRequest withCsv(CsvOptions value) {
    return new LoadRequest(path, format, value, libSvmFeatures, vectorColumn, labels, partitions,
        validationFraction, seed, standardization, badRows, encoding);
  }

  public LoadRequest withLibSvmFeatures(int value) {
    return new LoadRequest(path, format, csv, value, vectorColumn, labels, partitions,
        validationFraction, seed, standardization, badRows, encoding);
  }

  public LoadRequest withVectorColumn(String value) {
    return new LoadRequest(path, format, csv, libSvmFeatures, value, labels, partitions,
        validationFraction, seed, standardization, badRows, encoding);
  }

  public LoadRequest withLabels(LabelSpec value) {
    return new LoadRequest(path, format, csv, libSvmFeatures, vectorColumn, value, partitions,
        validationFraction, seed, standardization, badRows, encoding);
  }

  public LoadRequest withPartitions(int value) {
    return new LoadRequest(path, format, csv, libSvmFeatures, vectorColumn, labels, value,
        validationFraction, seed, standardization, badRows, encoding);
  }

  /** Holds out {@code fraction} of the rows for validation, chosen by a hash seeded with seed. */
  public LoadRequest withValidation(double fraction, long splitSeed) {
    return new LoadRequest(path, format, csv, libSvmFeatures, vectorColumn, labels, partitions,
        fraction, splitSeed, standardization, badRows, encoding);
  }

  public LoadRequest withStandardization(Standardization value) {
    return new LoadRequest(path, format, csv, libSvmFeatures, vectorColumn, labels, partitions,
        validationFraction, seed, value, badRows, encoding);
  }

  public LoadRequest withBadRows(BadRowPolicy value) {
    return new LoadRequest(path, format, csv, libSvmFeatures, vectorColumn, labels, partitions,
        validationFraction, seed, standardization, value, encoding);
  }

  /** Blocks of the given encoding (sparse encodings are never standardized). */
  public LoadRequest withEncoding(RowEncoding value) {
    return new LoadRequest(path, format, csv, libSvmFeatures, vectorColumn, labels, partitions,
        validationFraction, seed, standardization, badRows, value);
  }
}
