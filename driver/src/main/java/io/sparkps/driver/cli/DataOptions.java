package io.sparkps.driver.cli;

import picocli.CommandLine.Option;

/** Where the data is and how to read it; shared by the commands that read data. */
public final class DataOptions {

  /** The file formats SparkPS reads. */
  public enum Format { auto, csv, libsvm }

  @Option(names = "--data", paramLabel = "PATH",
      description = "Data file. Default: the bundled sample (breast cancer, 569 rows).")
  String data;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "csv, libsvm or auto (by the first data line). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(names = "--label", paramLabel = "COLUMN", defaultValue = "-1",
      description = "CSV label column: a header name or a 0-based index, negative from the end. "
          + "Default: the last column.")
  String label;

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

  public String data() {
    return data;
  }

  public Format format() {
    return format;
  }

  public String label() {
    return label;
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
