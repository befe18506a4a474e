package io.sparkps.core.data;

/**
 * One LibSVM line, {@code label index:value index:value ...} with 1-based increasing indices,
 * parsed and checked; densified into a row of a block.
 */
public record LibSvmRow(String label, int[] indices, float[] values) {

  /** Parses {@code line} (1-based {@code lineNo}) of {@code source}. */
  public static LibSvmRow parse(String source, long lineNo, String line) {
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
