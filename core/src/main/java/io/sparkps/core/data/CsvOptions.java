package io.sparkps.core.data;

/**
 * How to read a delimited text file.
 *
 * @param delimiter the field separator; {@code ' '} splits on any run of blanks and tabs
 * @param skipLines lines to skip before the header (or the data when there is no header)
 * @param header whether the first line after {@code skipLines} holds column names
 * @param labelColumn the label's column: a name from the header, or a 0-based index; negative
 *     indices count from the end ({@code "-1"} is the last column, the default)
 */
public record CsvOptions(char delimiter, int skipLines, boolean header, String labelColumn) {
  public CsvOptions {
    if (skipLines < 0) {
      throw new IllegalArgumentException("skipLines must be 0 or more, got " + skipLines);
    }
    if (labelColumn == null || labelColumn.isBlank()) {
      throw new IllegalArgumentException("labelColumn must name a column or give its index");
    }
  }

  /** Comma separated, a header line, the label in the last column. */
  public static CsvOptions defaults() {
    return new CsvOptions(',', 0, true, "-1");
  }

  public CsvOptions withLabel(String column) {
    return new CsvOptions(delimiter, skipLines, header, column);
  }
}
