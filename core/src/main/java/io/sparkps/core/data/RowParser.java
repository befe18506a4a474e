package io.sparkps.core.data;

import com.fasterxml.jackson.core.io.doubleparser.JavaFloatParser;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one line of delimited text into features and a label, and says exactly what is wrong
 * with a bad line: the source, the line number, the column and the value. The same parser runs
 * in this process and inside Spark tasks, so a file is judged the same way everywhere.
 */
public final class RowParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final char delimiter;
  private final int width;
  private final int labelIndex;
  private final List<String> columnNames;
  private static final int LABELS = 8;
  private transient byte[][] labelBytes;
  private transient String[] labels;
  private transient int nextLabel;

  private RowParser(String source, char delimiter, int width, int labelIndex,
      List<String> columnNames) {
    this.source = source;
    this.delimiter = delimiter;
    this.width = width;
    this.labelIndex = labelIndex;
    this.columnNames = List.copyOf(columnNames);
  }

  /**
   * A parser for rows of {@code width} columns; {@code header} holds the column names, or is
   * empty when the file has none (the columns are then called {@code c0, c1, ...}).
   */
  public static RowParser forColumns(String source, List<String> header, int width,
      CsvOptions options) {
    if (!header.isEmpty() && header.size() != width) {
      throw new DataFormatException(source, options.skipLines() + 1, "the header has "
          + header.size() + " columns but the first data line has " + width
          + "; check --skip-lines and --no-header");
    }
    List<String> names = new ArrayList<>(width);
    for (int j = 0; j < width; j++) {
      names.add(header.isEmpty() ? "c" + j : header.get(j).trim());
    }
    if (width < 2) {
      throw new DataFormatException(source, options.skipLines() + 1, "found " + width
          + " column; a training file needs at least one feature and a label (delimiter '"
          + options.delimiter() + "')");
    }
    return new RowParser(source, options.delimiter(), width,
        labelIndex(source, names, options.labelColumn()), names);
  }

  private static int labelIndex(String source, List<String> names, String column) {
    int byName = names.indexOf(column.trim());
    if (byName >= 0) {
      return byName;
    }
    try {
      int i = Integer.parseInt(column.trim());
      int idx = i < 0 ? names.size() + i : i;
      if (idx >= 0 && idx < names.size()) {
        return idx;
      }
    } catch (NumberFormatException e) {
      // not an index either: fall through to the error
    }
    throw new DataFormatException(source, 0, "label column '" + column + "' does not exist; the "
        + "columns are " + names + " (give a name from the header or a 0-based index)");
  }

  public int features() {
    return width - 1;
  }

  /** The position of the label among the columns. */
  public int labelIndex() {
    return labelIndex;
  }

  /** Names of all columns, label included, in order. */
  public List<String> columnNames() {
    return columnNames;
  }

  public String source() {
    return source;
  }

  public char delimiter() {
    return delimiter;
  }

  /** Names of the feature columns, in order. */
  public List<String> featureNames() {
    List<String> f = new ArrayList<>(columnNames);
    f.remove(labelIndex);
    return f;
  }

  /**
   * Writes the features of {@code line} to {@code out[off..off+features)} and returns the label
   * text; {@code lineNo} is 1-based and only used in errors.
   */
  public String parse(String line, long lineNo, float[] out, int off) {
    if (delimiter != ' ' && line.indexOf('"') < 0) {
      String label = parseInPlace(line, lineNo, out, off);
      if (label != null) {
        return label;
      }
      // a wrong column count or a missing label: the general path below names it
    }
    List<String> cells = split(line, delimiter);
    if (cells.size() != width) {
      throw new DataFormatException(source, lineNo, "expected " + width + " columns, found "
          + cells.size() + " ('" + abbreviate(line) + "'); every row needs the same columns");
    }
    String label = "";
    int k = off;
    for (int j = 0; j < width; j++) {
      String cell = cells.get(j).trim();
      if (j == labelIndex) {
        if (cell.isEmpty()) {
          throw new DataFormatException(source, lineNo, "the label (column "
              + columnNames.get(j) + ") is missing; remove the row or fill in its label");
        }
        label = cell;
        continue;
      }
      out[k++] = parseFeature(cell, lineNo, j);
    }
    return label;
  }

  /**
   * The common case of a line without quotes and a one-character delimiter, parsed where it lies:
   * no list of cells and no string per number (FastDoubleParser, as shaded in jackson-core, reads
   * each number from its range of the line). Returns the label, or null when the line's columns
   * or label need the general path's error message.
   */
  private String parseInPlace(String line, long lineNo, float[] out, int off) {
    String label = null;
    int n = line.length();
    int col = 0;
    int start = 0;
    int k = off;
    for (int i = 0; i <= n; i++) {
      if (i < n && line.charAt(i) != delimiter) {
        continue;
      }
      if (col >= width) {
        return null;
      }
      int a = start;
      int b = i;
      while (a < b && line.charAt(a) <= ' ') {
        a++;
      }
      while (b > a && line.charAt(b - 1) <= ' ') {
        b--;
      }
      if (col == labelIndex) {
        if (a == b) {
          return null;
        }
        label = line.substring(a, b);
      } else {
        out[k++] = parseFeature(line, a, b, lineNo, col);
      }
      col++;
      start = i + 1;
    }
    return col == width ? label : null;
  }

  /**
   * {@link #parse(String, long, float[], int)} over the UTF-8 bytes {@code line[0, length)} of one
   * line, read where they lie: no string per line or per number, and the label's string shared
   * with the last rows whose label had the same bytes (so, unlike the string form, this one is
   * for one thread at a time: one parser per task). A line with a quote, a wrong column count,
   * a missing label or an unusual number is decoded and takes the string path, with its errors.
   */
  public String parse(byte[] line, int length, long lineNo, float[] out, int off) {
    if (delimiter != ' ' && delimiter < 0x80) {
      String label = parseBytes(line, length, lineNo, out, off);
      if (label != null) {
        return label;
      }
    }
    return parse(new String(line, 0, length, StandardCharsets.UTF_8), lineNo, out, off);
  }

  /** The byte form of {@link #parseInPlace}; null sends the line to the string path. */
  private String parseBytes(byte[] line, int n, long lineNo, float[] out, int off) {
    int labelFrom = -1;
    int labelTo = -1;
    int col = 0;
    int start = 0;
    int k = off;
    for (int i = 0; i <= n; i++) {
      if (i < n) {
        byte c = line[i];
        if (c == '"') {
          return null;
        }
        if (c != delimiter) {
          continue;
        }
      }
      if (col >= width) {
        return null;
      }
      int a = start;
      int b = i;
      while (a < b && line[a] <= ' ' && line[a] >= 0) {
        a++;
      }
      while (b > a && line[b - 1] <= ' ' && line[b - 1] >= 0) {
        b--;
      }
      if (col == labelIndex) {
        if (a == b) {
          return null;
        }
        labelFrom = a;
        labelTo = b;
      } else {
        float v = a == b ? Float.NaN : bytesToFloat(line, a, b);
        if (!Float.isFinite(v)) {
          return null;
        }
        out[k++] = v;
      }
      col++;
      start = i + 1;
    }
    return col == width ? label(line, labelFrom, labelTo) : null;
  }

  private static float bytesToFloat(byte[] line, int a, int b) {
    try {
      return JavaFloatParser.parseFloat(line, a, b - a);
    } catch (NumberFormatException e) {
      return Float.NaN;
    }
  }

  /**
   * The label text of {@code line[a, b)}: the string of one of the last {@value #LABELS} distinct
   * labels when the bytes are equal (a classifier's few labels cost no string per row).
   */
  private String label(byte[] line, int a, int b) {
    if (labelBytes == null) {
      labelBytes = new byte[LABELS][];
      labels = new String[LABELS];
    }
    for (int i = 0; i < LABELS && labelBytes[i] != null; i++) {
      if (Arrays.equals(labelBytes[i], 0, labelBytes[i].length, line, a, b)) {
        return labels[i];
      }
    }
    int slot = nextLabel++ % LABELS;
    labelBytes[slot] = Arrays.copyOfRange(line, a, b);
    labels[slot] = new String(line, a, b - a, StandardCharsets.UTF_8);
    return labels[slot];
  }

  /** The number in {@code line[a, b)}, as {@link Float#parseFloat} reads it. */
  private float parseFeature(String line, int a, int b, long lineNo, int column) {
    float v;
    try {
      v = a == b ? Float.NaN : JavaFloatParser.parseFloat(line, a, b - a);
    } catch (NumberFormatException e) {
      v = Float.NaN;
    }
    // anything unusual (an empty or bad cell, NaN, infinity) takes the general path's checks
    return Float.isFinite(v) ? v : parseFeature(line.substring(a, b), lineNo, column);
  }

  private float parseFeature(String cell, long lineNo, int column) {
    float v;
    try {
      v = Float.parseFloat(cell);
    } catch (NumberFormatException e) {
      throw new DataFormatException(source, lineNo, "column " + columnNames.get(column)
          + " holds '" + cell + "', which is not a number; features must be numeric, or name the "
          + "column in --categorical to hash its values as categories");
    }
    if (!Float.isFinite(v)) {
      throw new DataFormatException(source, lineNo, "column " + columnNames.get(column)
          + " holds " + cell + "; features must be finite numbers (no NaN or infinity)");
    }
    return v;
  }

  /** Splits on {@code delimiter}; a blank splits on runs of blanks and tabs. Quotes are removed. */
  public static List<String> split(String line, char delimiter) {
    List<String> out = new ArrayList<>();
    if (delimiter == ' ') {
      for (String s : line.trim().split("[ \t]+")) {
        out.add(unquote(s));
      }
      return out;
    }
    int start = 0;
    for (int i = 0; i <= line.length(); i++) {
      if (i == line.length() || line.charAt(i) == delimiter) {
        out.add(unquote(line.substring(start, i)));
        start = i + 1;
      }
    }
    return out;
  }

  private static String unquote(String s) {
    String t = s.trim();
    return t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"'
        ? t.substring(1, t.length() - 1) : t;
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
