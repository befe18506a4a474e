package io.sparkps.core.data;

import com.fasterxml.jackson.core.io.doubleparser.JavaFloatParser;

/**
 * One LibSVM line, {@code label index:value index:value ...} with 1-based increasing indices,
 * parsed and checked; densified into a row of a block.
 */
public record LibSvmRow(String label, int[] indices, float[] values) {

  /**
   * Parses {@code line} (1-based {@code lineNo}) of {@code source}: well-formed rows in place
   * (no token strings; values by FastDoubleParser, as jackson-core shades it, bit for bit
   * {@link Float#parseFloat}), anything else by the checking parse, which names the problem.
   */
  public static LibSvmRow parse(String source, long lineNo, String line) {
    LibSvmRow fast = parseInPlace(line);
    return fast != null ? fast : parseChecked(source, lineNo, line);
  }

  /** A well-formed row read where it lies, or null for the checking parse to judge. */
  private static LibSvmRow parseInPlace(String line) {
    int n = line.length();
    int i = skipBlanks(line, 0, n);
    int labelEnd = skipToken(line, i, n);
    if (labelEnd == i) {
      return null;
    }
    String label = line.substring(i, labelEnd);
    int pairs = 0;
    for (int c = labelEnd; c < n; c++) {
      char ch = line.charAt(c);
      if (ch < ' ' && ch != '\t') {
        return null; // other control characters: the checking parse's trim and split decide
      }
      pairs += ch == ':' ? 1 : 0;
    }
    int[] idx = new int[pairs];
    float[] val = new float[pairs];
    int k = 0;
    int prev = 0;
    for (i = skipBlanks(line, labelEnd, n); i < n; i = skipBlanks(line, i, n)) {
      int end = skipToken(line, i, n);
      int index = 0;
      int c = i;
      while (c < end && c - i < 9 && line.charAt(c) >= '0' && line.charAt(c) <= '9') {
        index = index * 10 + line.charAt(c++) - '0';
      }
      if (c == i || c >= end || line.charAt(c) != ':' || index <= prev || k == pairs
          || c + 1 == end) {
        return null;
      }
      float v;
      try {
        v = JavaFloatParser.parseFloat(line, c + 1, end - c - 1);
      } catch (NumberFormatException e) {
        return null;
      }
      if (!Float.isFinite(v)) {
        return null;
      }
      idx[k] = index;
      val[k++] = v;
      prev = index;
      i = end;
    }
    return k == pairs ? new LibSvmRow(label, idx, val) : null;
  }

  private static int skipBlanks(String line, int i, int n) {
    while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int skipToken(String line, int i, int n) {
    while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
      i++;
    }
    return i;
  }

  private static LibSvmRow parseChecked(String source, long lineNo, String line) {
    String[] tok = line.trim().split("[ \t]+");
    int[] idx = new int[tok.length - 1];
    float[] val = new float[tok.length - 1];
    int prev = 0;
    for (int t = 1; t < tok.length; t++) {
      int colon = tok[t].indexOf(':');
      if (colon < 1) {
        throw new DataFormatException(source, lineNo, "'" + tok[t]
            + "' is not index:value; LibSVM rows are 'label index:value ...'");
      }
      try {
        idx[t - 1] = Integer.parseInt(tok[t].substring(0, colon));
        val[t - 1] = Float.parseFloat(tok[t].substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new DataFormatException(source, lineNo, "'" + tok[t]
            + "' is not index:value with an integer index and a number");
      }
      if (idx[t - 1] < 1) {
        throw new DataFormatException(source, lineNo, "index " + idx[t - 1] + " is below 1; "
            + "LibSVM indices are 1-based (add 1 to every index of a 0-based file)");
      }
      if (idx[t - 1] <= prev) {
        throw new DataFormatException(source, lineNo, "index " + idx[t - 1] + " after " + prev
            + "; indices must be 1-based and strictly increasing (sort each row's index:value "
            + "pairs by index and merge repeated indices)");
      }
      if (!Float.isFinite(val[t - 1])) {
        throw new DataFormatException(source, lineNo, "feature " + idx[t - 1] + " holds "
            + val[t - 1] + "; features must be finite numbers");
      }
      prev = idx[t - 1];
    }
    return new LibSvmRow(tok[0], idx, val);
  }

  public int maxIndex() {
    return indices.length == 0 ? 0 : indices[indices.length - 1];
  }

  /** Writes the row densely to {@code out[off..off+width)}, which must be zero. */
  public void densify(String source, int width, float[] out, int off) {
    if (maxIndex() > width) {
      throw new DataFormatException(source, 0, "a row has feature index " + maxIndex()
          + " but the data has " + width + " features; pass the right feature count");
    }
    for (int i = 0; i < indices.length; i++) {
      out[off + indices[i] - 1] = values[i];
    }
  }
}
