package io.sparkps.core.data;

/**
 * Bad input data, with where it is: the source (file or table), the line or row, the column and
 * the value, and what to do about it.
 */
public final class DataFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;
  private final String problem;

  public DataFormatException(String source, long line, String problem) {
    super(source + (line > 0 ? ", line " + line : "") + ": " + problem);
    this.source = source;
    this.line = line;
    this.problem = problem;
  }

  /** The file or table the bad value came from. */
  public String source() {
    return source;
  }

  /** 1-based line (or row) number; 0 when the problem is not tied to one line. */
  public long line() {
    return line;
  }

  /** What is wrong, without the source and line (to say where it is in other words). */
  public String problem() {
    return problem;
  }
}
