package io.sparkps.driver.data;

import io.sparkps.core.data.CsvOptions;
import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.data.FeatureHashing;
import io.sparkps.core.data.RowParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * CSV or LibSVM text as a {@link RowSource}: Hadoop's text input format over the listed files
 * (split where the file system and codec allow), each split parsed by a
 * {@link TextSplitReader}. The driver reads only a file's first lines, for the header and width.
 */
final class TextInput implements RowSource {
  /**
   * Hadoop setting for the smallest text split in bytes (default {@value #DEFAULT_MIN_SPLIT}):
   * a file smaller than this is read by one task, so its bad rows are named by line number; set
   * it with {@code spark.hadoop.sparkps.input.minSplitBytes}.
   */
  static final String MIN_SPLIT_KEY = "sparkps.input.minSplitBytes";
  static final long DEFAULT_MIN_SPLIT = 32L << 20;

  private final JavaHadoopRDD<LongWritable, Text> lines;
  private final TextSplitReader reader;
  private final List<String> csvFeatureNames;
  private final RowEncoding encoding;
  private final java.util.Optional<String> labelColumn;

  private TextInput(JavaHadoopRDD<LongWritable, Text> lines, TextSplitReader reader,
      List<String> csvFeatureNames, RowEncoding encoding, java.util.Optional<String> label) {
    this.labelColumn = label;
    this.lines = lines;
    this.reader = reader;
    this.csvFeatureNames = List.copyOf(csvFeatureNames);
    this.encoding = encoding;
  }

  /**
   * Delimited text. The header and the column count come from the first file that has a data
   * row; a label column that does not exist fails here, before any Spark job.
   */
  static TextInput csv(JavaSparkContext sc, InputFiles in, CsvOptions options, int minPartitions,
      BadRowPolicy policy, RowEncoding encoding) {
    Configuration conf = sc.hadoopConfiguration();
    int headLines = options.skipLines() + (options.header() ? 1 : 0);
    for (Path file : in.files()) {
      List<String> head = InputFiles.head(conf, file, options.skipLines(), headLines + 64);
      int dataAt = options.header() ? 1 : 0;
      while (dataAt < head.size() && head.get(dataAt).isBlank()) {
        dataAt++;
      }
      if (dataAt >= head.size()) {
        continue;
      }
      List<String> header = options.header()
          ? RowParser.split(head.get(0), options.delimiter()).stream().map(String::trim).toList()
          : List.of();
      int columns = RowParser.split(head.get(dataAt), options.delimiter()).size();
      RowParser parser = RowParser.forColumns(file.toString(), header, columns, options);
      long headBytes = headLines == 0 ? 0 : skippedBytes(conf, file, options.skipLines())
          + (options.header() ? head.get(0).getBytes(StandardCharsets.UTF_8).length : 0)
          + 2L * headLines;
      FeatureHashing hashing = encoding instanceof RowEncoding.Hashed h
          ? h.resolve(file.toString(), parser.featureNames()) : null;
      TextSplitReader reader = new TextSplitReader(false, TextSplitReader.Csv.of(options),
          header, columns, 0, file.toString(), policy, hashing);
      // numeric rows stay dense unless a sparse model asked for sparse rows (their non-zeros)
      RowEncoding decided = hashing != null ? RowEncoding.Hashed.of(hashing)
          : encoding instanceof RowEncoding.Sparse ? RowEncoding.sparse() : RowEncoding.dense();
      return new TextInput(open(sc, in, minPartitions, headBytes), reader,
          parser.featureNames(), decided, header.isEmpty() ? java.util.Optional.empty()
              : java.util.Optional.of(header.get(parser.labelIndex())));
    }
    throw new DataFormatException(in.path(), 0, "holds no data rows after " + headLines
        + " header line(s) in any file; the dataset is empty (check --data, --skip-lines and "
        + "--no-header)");
  }

  /** LibSVM text; {@code features} is the width, or 0 to take the largest index seen. */
  static TextInput libSvm(JavaSparkContext sc, InputFiles in, int features, int minPartitions,
      BadRowPolicy policy, RowEncoding encoding) {
    if (encoding instanceof RowEncoding.Hashed) {
      throw new IllegalArgumentException("--categorical hashes the columns of CSV data; "
          + in.path() + " is LibSVM, whose rows are sparse already");
    }
    TextSplitReader reader = new TextSplitReader(true, TextSplitReader.Csv.of(
        CsvOptions.defaults()), List.of(), 0, features, in.first().toString(), policy, null);
    return new TextInput(open(sc, in, minPartitions, 0), reader, List.of(),
        encoding instanceof RowEncoding.Dense ? RowEncoding.dense() : RowEncoding.sparse(),
        java.util.Optional.empty());
  }

  private static long skippedBytes(Configuration conf, Path file, int skip) {
    return InputFiles.head(conf, file, 0, skip).stream()
        .mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length).sum();
  }

  /**
   * The lines of every file. The minimum split size also keeps each file's skipped lines and
   * header inside its first split, the only one that skips them.
   */
  private static JavaHadoopRDD<LongWritable, Text> open(JavaSparkContext sc, InputFiles in,
      int minPartitions, long headBytes) {
    JobConf job = new JobConf(sc.hadoopConfiguration());
    FileInputFormat.setInputPaths(job, in.files().toArray(new Path[0]));
    long minSplit = Math.max(headBytes + 1, job.getLong(MIN_SPLIT_KEY, DEFAULT_MIN_SPLIT));
    job.setLong("mapreduce.input.fileinputformat.split.minsize", minSplit);
    return (JavaHadoopRDD<LongWritable, Text>) sc.hadoopRDD(job, TextInputFormat.class,
        LongWritable.class, Text.class, minPartitions);
  }

  @Override
  public <R> JavaRDD<R> rows(RowSink.Factory<R> factory) {
    TextSplitReader r = reader;
    return lines.mapPartitionsWithInputSplit((split, it) -> r.read((FileSplit) split, it,
        factory.open(TaskContext.getPartitionId())), false);
  }

  @Override
  public boolean namedColumns() {
    return !reader.libSvm();
  }

  @Override
  public RowEncoding encoding() {
    return encoding;
  }

  @Override
  public java.util.Optional<FeatureHashing> hashing() {
    return java.util.Optional.ofNullable(reader.hashing());
  }

  @Override
  public int features(DataSummary summary) {
    if (reader.hashing() != null) {
      return reader.hashing().buckets();
    }
    if (!reader.libSvm()) {
      return reader.columns() - 1;
    }
    return reader.libSvmFeatures() > 0 ? reader.libSvmFeatures() : summary.width();
  }

  @Override
  public java.util.Optional<String> labelColumn() {
    return labelColumn;
  }

  @Override
  public java.util.Optional<List<String>> headerFeatures() {
    return labelColumn.map(l -> csvFeatureNames);
  }

  @Override
  public List<String> featureNames(int features) {
    return reader.libSvm() ? IntStream.rangeClosed(1, features).mapToObj(j -> "f" + j).toList()
        : csvFeatureNames;
  }
}
