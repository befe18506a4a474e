package io.sparkps.driver.data;

import io.sparkps.core.data.CsvOptions;
import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.data.FeatureHashing;
import io.sparkps.core.data.HashedRowParser;
import io.sparkps.core.data.SparseRow;
import io.sparkps.core.data.LibSvmRow;
import io.sparkps.core.data.RowParser;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import scala.Tuple2;

/**
 * Reads the lines of one file split into a {@link RowSink} with the core row parsers. A split
 * that starts at byte 0 knows its line numbers and holds the file's skipped lines and header;
 * other splits name a bad row by its byte offset and its text. Every file's header must equal
 * the first file's, and its first data row must have as many columns; those checks fail the
 * load whatever the bad-row policy.
 *
 * @param libSvm whether the lines are LibSVM (else delimited text)
 * @param csv delimiter, skipped lines, header and label column of delimited text
 * @param header the first file's column names; empty without a header line
 * @param columns columns of a delimited row, label included
 * @param libSvmFeatures the LibSVM feature count, or 0 when the data decides
 * @param firstFile the file whose header and width the others must match
 * @param policy what to do with a bad row
 * @param hashing how delimited rows are hashed into sparse rows; {@code null} for numeric rows
 *     (and LibSVM)
 */
record TextSplitReader(boolean libSvm, Csv csv, List<String> header, int columns,
    int libSvmFeatures, String firstFile, BadRowPolicy policy, FeatureHashing hashing)
    implements Serializable {

  /** {@link CsvOptions} in a form Spark can ship. */
  record Csv(char delimiter, int skipLines, boolean header, String labelColumn)
      implements Serializable {
    static Csv of(CsvOptions o) {
      return new Csv(o.delimiter(), o.skipLines(), o.header(), o.labelColumn());
    }

    CsvOptions options() {
      return new CsvOptions(delimiter, skipLines, header, labelColumn);
    }
  }

  TextSplitReader {
    header = List.copyOf(header);
  }

  /** Feeds the rows of {@code split} to {@code sink} and returns its results. */
  <R> Iterator<R> read(FileSplit split, Iterator<Tuple2<LongWritable, Text>> lines,
      RowSink.Partition<R> sink) {
    String file = split.getPath().toString();
    boolean exact = split.getStart() == 0;
    int headLines = exact && !libSvm ? csv.skipLines() + (csv.header() ? 1 : 0) : 0;
    LineParser parser = libSvm ? libSvmParser(file)
        : hashing != null ? hashedParser(file) : csvParser(file);
    // the file's name, not its full path: the same data split the same way wherever it lies
    long origin = RowSplit.origin(split.getPath().getName());
    boolean widthChecked = !exact || libSvm;
    long lineNo = 0;
    while (lines.hasNext()) {
      Tuple2<LongWritable, Text> t = lines.next();
      Text line = t._2();
      long offset = t._1().get();
      lineNo++;
      if (lineNo <= headLines) {
        checkHeader(file, lineNo, line.toString());
        continue;
      }
      if (blank(line)) {
        continue;
      }
      if (!widthChecked) {
        checkWidth(file, lineNo, line.toString());
        widthChecked = true;
      }
      feed(parser, RowSplit.key(origin, offset), line, exact ? lineNo : 0, file, offset, sink);
    }
    return sink.finish();
  }

  /** Parses one data line into the sink, or fails or skips it as the policy says. */
  private void feed(LineParser parser, long key, Text line, long lineNo, String file,
      long offset, RowSink sink) {
    try {
      parser.feed(key, line, lineNo, sink);
    } catch (DataFormatException e) {
      bad(lineNo > 0 ? e : atOffset(file, offset, line.toString(), e.problem()), sink);
    } catch (NumberFormatException e) {
      bad(lineNo > 0 ? new DataFormatException(file, lineNo, e.getMessage())
          : atOffset(file, offset, line.toString(), e.getMessage()), sink);
    }
  }

  /**
   * Parses one line ({@code lineNo} 0 when unknown) and hands the row to the sink; the line's
   * bytes are only valid during the call (Hadoop reuses the {@link Text}).
   */
  @FunctionalInterface
  private interface LineParser {
    void feed(long key, Text line, long lineNo, RowSink sink);
  }

  /** Whether the line holds only white space, read from its bytes where they are ASCII. */
  static boolean blank(Text line) {
    byte[] b = line.getBytes();
    for (int i = 0, n = line.getLength(); i < n; i++) {
      if (b[i] < 0) {
        return line.toString().isBlank();
      }
      if (!Character.isWhitespace(b[i])) {
        return false;
      }
    }
    return true;
  }

  private LineParser csvParser(String file) {
    RowParser parser = RowParser.forColumns(file, header, columns, csv.options());
    float[] x = new float[columns - 1];
    // straight from the line's bytes into the row (RowParser's byte path)
    return (key, line, lineNo, sink) -> sink.dense(key,
        parser.parse(line.getBytes(), line.getLength(), lineNo, x, 0), x);
  }

  private LineParser hashedParser(String file) {
    HashedRowParser parser = new HashedRowParser(
        RowParser.forColumns(file, header, columns, csv.options()), hashing);
    SparseRow row = new SparseRow();
    return (key, line, lineNo, sink) -> sink.sparseRow(key,
        parser.parse(line.toString(), lineNo, row), row);
  }

  private LineParser libSvmParser(String file) {
    return (key, line, lineNo, sink) -> {
      LibSvmRow row = LibSvmRow.parse(file, lineNo, line.toString());
      if (libSvmFeatures > 0 && row.maxIndex() > libSvmFeatures) {
        throw new DataFormatException(file, lineNo, "feature index " + row.maxIndex()
            + " is above the feature count " + libSvmFeatures + "; pass the right --features, "
            + "or 0 to take the largest index");
      }
      sink.sparse(key, row.label(), row);
    };
  }

  private void bad(DataFormatException e, RowSink sink) {
    if (policy == BadRowPolicy.FAIL) {
      throw e;
    }
    sink.skipped(e);
  }

  private static DataFormatException atOffset(String file, long offset, String line,
      String problem) {
    return new DataFormatException(file + ", byte offset " + offset, 0, problem + " (the line: '"
        + (line.length() <= 80 ? line : line.substring(0, 77) + "...") + "')");
  }

  private void checkHeader(String file, long lineNo, String line) {
    if (csv.header() && lineNo == csv.skipLines() + 1) {
      List<String> names = RowParser.split(line, csv.delimiter()).stream().map(String::trim)
          .toList();
      if (!names.equals(header)) {
        throw new DataFormatException(file, lineNo, "the header " + names + " differs from the "
            + "header " + header + " of " + firstFile + "; every file needs the same columns");
      }
    }
  }

  private void checkWidth(String file, long lineNo, String line) {
    int n = RowParser.split(line, csv.delimiter()).size();
    if (n != columns) {
      throw new DataFormatException(file, lineNo, "the first data row has " + n
          + " columns but the rows of " + firstFile + " have " + columns + "; every file needs "
          + "the same columns");
    }
  }
}
