package io.sparkps.core.data;

import io.sparkps.core.model.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Reads a small dataset into one {@link ExampleBlock} in this process: CSV (or other delimited
 * text) and LibSVM, optionally gzip-compressed (a {@code .gz} name). For data that lives in Spark
 * the driver reads in parallel with the same {@link RowParser}; this reader serves the reference
 * trainer, tests and small files.
 */
public final class LocalDataReader {
  private LocalDataReader() {
  }

  /** Reads delimited text; every column but the label is a numeric feature. */
  public static Dataset readCsv(Path file, CsvOptions options, Task task) {
    return readCsv(file, options, labels -> LabelEncoder.fit(task, labels));
  }

  /** Reads delimited text, encoding labels with a trained model's classes. */
  public static Dataset readCsv(Path file, CsvOptions options, LabelEncoder encoder) {
    return readCsv(file, options, labels -> encoder);
  }

  /** Reads LibSVM text, encoding labels with a trained model's classes. */
  public static Dataset readLibSvm(Path file, LabelEncoder encoder, int features) {
    return readLibSvm(file, labels -> encoder, features);
  }

  /** Reads LibSVM text; {@code features} is the width, or 0 to use the largest index seen. */
  public static Dataset readLibSvm(Path file, Task task, int features) {
    return readLibSvm(file, labels -> LabelEncoder.fit(task, labels), features);
  }

  private static Dataset readCsv(Path file, CsvOptions options,
      Function<List<String>, LabelEncoder> encoder) {
    List<String> lines = readLines(file);
    String source = file.toString();
    int first = options.skipLines() + (options.header() ? 1 : 0);
    if (lines.size() <= first) {
      throw new DataFormatException(source, 0, "the file has no data rows after "
          + first + " header line(s); check the path and --skip-lines/--header");
    }
    List<String> header = options.header()
        ? RowParser.split(lines.get(options.skipLines()), options.delimiter()) : List.of();
    int width = RowParser.split(lines.get(first), options.delimiter()).size();
    RowParser parser = RowParser.forColumns(source, header, width, options);
    List<String> labels = new ArrayList<>(lines.size() - first);
    float[] features = new float[(lines.size() - first) * parser.features()];
    int rows = 0;
    for (int i = first; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      labels.add(parser.parse(line, i + 1, features, rows * parser.features()));
      rows++;
    }
    return encode(source, first, parser.featureNames(), features, rows, labels, encoder);
  }

  private static Dataset readLibSvm(Path file, Function<List<String>, LabelEncoder> encoder,
      int features) {
    List<String> lines = readLines(file);
    String source = file.toString();
    List<LibSvmRow> rows = new ArrayList<>(lines.size());
    int width = features;
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        LibSvmRow row = LibSvmRow.parse(source, i + 1, lines.get(i));
        rows.add(row);
        if (features == 0) {
          width = Math.max(width, row.maxIndex());
        }
      }
    }
    if (rows.isEmpty()) {
      throw new DataFormatException(source, 0, "the file holds no data rows");
    }
    float[] x = new float[rows.size() * width];
    List<String> labels = new ArrayList<>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      rows.get(r).densify(source, width, x, r * width);
      labels.add(rows.get(r).label());
    }
    List<String> names = new ArrayList<>(width);
    for (int j = 1; j <= width; j++) {
      names.add("f" + j);
    }
    return encode(source, 0, names, x, rows.size(), labels, encoder);
  }

  private static Dataset encode(String source, int firstLine, List<String> names, float[] x,
      int rows, List<String> labels, Function<List<String>, LabelEncoder> encoder) {
    LabelEncoder enc;
    try {
      enc = encoder.apply(labels);
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(source, 0, e.getMessage());
    }
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      try {
        y[r] = enc.encode(labels.get(r));
      } catch (NumberFormatException e) {
        throw new DataFormatException(source, 0, "row " + (r + 1) + " (after " + firstLine
            + " header line(s)): " + e.getMessage());
      }
    }
    int d = names.size();
    float[] exact = x.length == rows * d ? x : java.util.Arrays.copyOf(x, rows * d);
    return new Dataset(new ExampleBlock(rows, d, exact, y), names, enc.classes());
  }

  private static List<String> readLines(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file.toString(), 0, "no such file; check the path");
    }
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return r.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
