package io.sparkps.driver.cli;

import io.sparkps.core.data.CsvOptions;
import io.sparkps.core.data.FeatureHashing;
import io.sparkps.driver.data.RowEncoding;
import java.util.ArrayList;
import java.util.List;
import io.sparkps.driver.data.BadRowPolicy;
import io.sparkps.driver.data.LabelSpec;
import io.sparkps.driver.data.LoadRequest;
import io.sparkps.driver.data.SourceFormat;
import picocli.CommandLine.Option;

/** Where the data is and how to read it; shared by the commands that read data. */
public final class DataOptions {


  @Option(names = "--data", paramLabel = "PATH",
      description = "Data file. Default: the bundled sample (breast cancer, 569 rows).")
  String data;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "csv, libsvm, parquet or auto (by the data). Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--vector-column", paramLabel = "COLUMN", defaultValue = "features",
      description = "Parquet column holding a Spark ML feature vector, if any. "
          + "Default: ${DEFAULT-VALUE}.")
  String vectorColumn;

  @Option(names = "--bad-rows", paramLabel = "POLICY", defaultValue = "fail",
      description = "fail on a bad row (naming file, line and value), or skip and count it. "
          + "Default: ${DEFAULT-VALUE}.")
  String badRows;

  @Option(names = "--label", paramLabel = "COLUMN",
      description = "Label column: a header name or a 0-based index, negative from the end. "
          + "Default: the label column the model was trained with (evaluate, retrain), else "
          + "the last column.")
  String label;

  /** The label column of the model the data goes to, when it recorded one. */
  private java.util.Optional<String> modelLabel = java.util.Optional.empty();

  /** Takes {@code name} as the label column unless {@code --label} names one. */
  public DataOptions withModelLabel(java.util.Optional<String> name) {
    modelLabel = name;
    return this;
  }

  @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",",
      description = "CSV field separator; 'space' splits on runs of blanks. Default: ','.")
  String delimiter;

  @Option(names = "--skip-lines", paramLabel = "N", defaultValue = "0",
      description = "Lines to skip before the CSV header. Default: 0.")
  int skipLines;

  @Option(names = "--no-header",
      description = "The CSV file has no header line (columns are then named c0, c1, ...).")
  boolean noHeader;

  @Option(names = "--features", paramLabel = "N", defaultValue = "0",
      description = "LibSVM feature count; 0 takes the largest index seen. Default: 0.")
  int features;

  @Option(names = "--categorical", paramLabel = "COL,COL", split = ",",
      description = "CSV columns holding categories: each column=value is hashed (MurmurHash3, "
          + "seed 42) into 2^--hash-bits buckets, numeric columns by name, an empty field to its "
          + "own missing token. Gives sparse rows for logistic, linear, softmax, fm and "
          + "wide-deep.")
  List<String> categorical = new ArrayList<>();

  @Option(names = "--hash-bits", paramLabel = "B", defaultValue = "20",
      description = "Hashed features land in 2^B buckets, B from 1 to 30. Default: "
          + "${DEFAULT-VALUE}.")
  int hashBits;

  @Option(names = "--numeric-transform", paramLabel = "T", defaultValue = "log1p",
      description = "How numeric columns enter hashed rows: log1p (sign(x) ln(1+|x|), for "
          + "heavy-tailed counts) or none. Default: ${DEFAULT-VALUE}.")
  String numericTransform;

  public String data() {
    return data;
  }

  /** Whether columns are to be hashed ({@code --categorical} given). */
  public boolean hashed() {
    return !categorical.isEmpty();
  }

  /**
   * How rows become the inputs of a model of {@code family} being trained: hashed with
   * {@code --categorical}; dense for a perceptron; sparse for factorization machines and wide and
   * deep; for linear, logistic and softmax regression sparse when the source is (LibSVM, sparse
   * vectors), dense otherwise.
   */
  public RowEncoding trainingEncoding(ModelOptions.Family family) {
    if (hashed()) {
      if (family == ModelOptions.Family.mlp) {
        throw new IllegalArgumentException("--model mlp reads dense rows, but --categorical "
            + "hashes columns into 2^" + hashBits + " sparse features; use --model wide-deep "
            + "(a perceptron over per-field embeddings), fm or logistic");
      }
      List<String> names = categorical.stream().map(String::trim).toList();
      return new RowEncoding.Hashed(List.of(), names, hashBits, FeatureHashing.DEFAULT_SEED,
          FeatureHashing.NumericTransform.parse(numericTransform));
    }
    return switch (family) {
      case mlp -> RowEncoding.dense();
      case fm, wide_deep -> RowEncoding.sparse();
      case linear, logistic, softmax -> RowEncoding.auto();
    };
  }

  /**
   * What to load for {@code labels}, split and partitioned for {@code partitions} workers. The
   * bundled sample stands in when no --data is given.
   */
  public LoadRequest request(LabelSpec labels, int partitions) {
    String path = data != null ? data : SampleData.extract().toString();
    BadRowPolicy policy = switch (badRows.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "fail" -> BadRowPolicy.FAIL;
      case "skip" -> BadRowPolicy.SKIP;
      default -> throw new IllegalArgumentException("--bad-rows must be fail or skip, got '"
          + badRows + "'");
    };
    return LoadRequest.of(path, labels.task(), partitions)
        .withLabels(labels)
        .withFormat(SourceFormat.parse(format))
        .withCsv(new CsvOptions(delimiterChar(), skipLines, header(), label()))
        .withLibSvmFeatures(features)
        .withVectorColumn(vectorColumn)
        .withBadRows(policy);
  }

  /** The label column: {@code --label}, else the model's, else the last column ({@code -1}). */
  public String label() {
    return label != null ? label : modelLabel.orElse("-1");
  }

  public char delimiterChar() {
    if (delimiter.equals("space") || delimiter.equals(" ")) {
      return ' ';
    }
    if (delimiter.equals("tab") || delimiter.equals("\\t")) {
      return '\t';
    }
    if (delimiter.length() != 1) {
      throw new IllegalArgumentException("--delimiter must be one character, 'space' or 'tab', got '"
          + delimiter + "'");
    }
    return delimiter.charAt(0);
  }

  public int skipLines() {
    return skipLines;
  }

  public boolean header() {
    return !noHeader;
  }

  public int features() {
    return features;
  }
}
