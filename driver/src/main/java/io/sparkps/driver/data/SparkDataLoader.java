package io.sparkps.driver.data;

import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.data.FeatureHashing;
import io.sparkps.core.data.Block;
import io.sparkps.core.data.LabelEncoder;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.Task;
import io.sparkps.core.train.PartitionWorker;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a training source into Spark as cached blocks, one per worker partition.
 *
 * <p>Lifecycle of {@link #load}: list the files and read the first lines of one (header, width,
 * format) on the driver; <b>one read</b>: every input partition is parsed once by a
 * {@link ParseSink} into a {@link ParsedPartition}, cached {@code MEMORY_AND_DISK}: its
 * {@link DataSummary} (rows per split, bad rows, width, feature moments of the training rows,
 * distinct labels) and its rows dealt round-robin to the worker partitions in chunks, features as
 * read; the summaries are merged with {@code treeAggregate} in the job that fills the cache, and
 * the driver checks the result and builds the label encoder and the standardizer; <b>then</b>,
 * from the cache, each worker partition gathers its chunks (in local mode without a shuffle,
 * {@link GatherRdd}; on a cluster through one shuffle, which moves each chunk once), encodes
 * their labels and becomes one training and one validation block,
 * standardized as it is assembled, persisted {@code MEMORY_AND_DISK} (deserialized: a block is
 * one float array) and materialized before {@code load} returns; the cached chunks are dropped
 * then. Only aggregates reach the driver, and only a finished task's result counts, so a retried
 * task counts its rows once. A bad row fails the load with its file, line (or byte offset, or
 * row) and value, or is skipped and counted.
 */
public final class SparkDataLoader {
  private static final Logger LOG = LoggerFactory.getLogger(SparkDataLoader.class);

  private final SparkSession spark;
  private final JavaSparkContext sc;

  public SparkDataLoader(SparkSession spark) {
    this.spark = spark;
    this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  /** Loads, checks, splits, standardizes and caches the data of {@code request}. */
  public SparkDataset load(LoadRequest request) {
    return load(request, (features, label) -> { });
  }

  /** Checks a source's named columns before any row is read: a model's expected input. */
  @FunctionalInterface
  public interface HeaderCheck {
    void check(List<String> featureColumns, String labelColumn);
  }

  /** As {@link #load(LoadRequest)}, calling {@code header} first when the source names columns. */
  public SparkDataset load(LoadRequest request, HeaderCheck header) {
    long start = System.nanoTime();
    try {
      return load(request, start, header);
    } catch (Exception e) {
      throw located(e);
    }
  }

  private SparkDataset load(LoadRequest r, long start, HeaderCheck header) {
    RowSource source = open(r);
    source.headerFeatures().ifPresent(names -> header.check(names, source.labelColumn()
        .orElseThrow()));
    RowSplit split = new RowSplit(r.seed(), r.validationFraction());
    RowEncoding encoding = source.encoding();
    boolean sparse = encoding.isSparse();
    boolean fitScale = r.standardization() instanceof Standardization.FitOnTrain && !sparse;
    int fieldCount = source.hashing().map(FeatureHashing::fields).orElse(sparse ? 0 : -1);
    // LibSVM without a feature count: its width is known only once it is read, so its rows
    // are kept sparse until the blocks are assembled (and densified there for a dense load)
    int known = source.features(new DataSummary());
    ChunkSink.Plan deal = new ChunkSink.Plan(r.partitions(), Math.max(known, 0), split,
        known > 0 ? fieldCount : Math.max(fieldCount, 0));
    JavaRDD<ParsedPartition> parsed = source.rows(ParseSink.factory(
        LabelCodec.firstPass(r.labels()), split, fitScale, deal));
    parsed.setName("sparkps rows of " + r.path()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return blocks(r, source, parsed, fieldCount, start);
    } finally {
      parsed.unpersist(false);
    }
  }

  /** The second stage: checks the summary, then encodes, ships and assembles the chunks. */
  private SparkDataset blocks(LoadRequest r, RowSource source, JavaRDD<ParsedPartition> parsed,
      int fieldCount, long start) {
    boolean sparse = fieldCount >= 0;
    DataSummary summary = parsed.map(ParsedPartition::summary).treeAggregate(new DataSummary(),
        DataSummary::merge, DataSummary::merge);
    int features = check(r, source, summary);
    LabelEncoder encoder = encoder(r, summary);
    Standardizer std = sparse ? Standardizer.identity(0) : standardizer(r, summary, features);
    if (summary.skippedRows() > 0) {
      LOG.warn("skipped {} bad rows of {}; the first: {}", summary.skippedRows(), r.path(),
          summary.firstSkipped());
    }
    LabelCodec codec = LabelCodec.of(encoder);
    Chunks.Layout layout = new Chunks.Layout(features, fieldCount,
        std.isIdentity() ? new double[0] : std.mean(),
        std.isIdentity() ? new double[0] : std.scale());
    JavaRDD<Block> train;
    JavaRDD<Block> validation;
    if (sc.isLocal()) {
      train = gathered(parsed, r, false, codec, layout, "train");
      validation = gathered(parsed, r, true, codec, layout, "validation");
    } else {
      // on a cluster a gather would fetch every parsed partition into every worker partition
      // (the data times the workers over the network); one shuffle moves each chunk once
      org.apache.spark.api.java.JavaPairRDD<Long, Block> chunks = parsed
          .flatMapToPair(p -> p.encoded(codec))
          .partitionBy(new Chunks.TargetPartitioner(r.partitions()));
      train = assembled(chunks, false, layout, "train", r.path(), r.seed());
      validation = assembled(chunks, true, layout, "validation", r.path(), r.seed());
    }
    int[] trainPartitionRows = materialize(train, summary.trainRows(), "training");
    materialize(validation, summary.validationRows(), "validation");
    List<String> names = source.hashing().map(FeatureHashing::columns)
        .orElse(sparse && !source.namedColumns() ? List.of() : source.featureNames(features));
    return new SparkDataset(train, validation, features, sparse, source.hashing(), names,
        encoder.classes(), std, summary.trainRows(), trainPartitionRows,
        summary.validationRows(), summary.skippedRows(), (System.nanoTime() - start) / 1e9,
        source.labelColumn());
  }

  private RowSource open(LoadRequest r) {
    Configuration conf = sc.hadoopConfiguration();
    InputFiles in = InputFiles.list(r.path(), conf);
    int minPartitions = Math.max(sc.defaultParallelism(), r.partitions());
    return switch (format(r, in, conf)) {
      case CSV -> TextInput.csv(sc, in, r.csv(), minPartitions, r.badRows(), r.encoding());
      case LIBSVM -> TextInput.libSvm(sc, in, r.libSvmFeatures(), minPartitions, r.badRows(),
          r.encoding());
      case PARQUET -> ParquetInput.open(spark, in, r.csv().labelColumn(), r.vectorColumn(),
          r.badRows(), r.encoding());
      case AUTO -> throw new IllegalStateException("the format was not resolved");
    };
  }

  private static SourceFormat format(LoadRequest r, InputFiles in, Configuration conf) {
    if (r.format() != SourceFormat.AUTO) {
      return r.format();
    }
    if (in.looksLikeParquet(conf)) {
      return SourceFormat.PARQUET;
    }
    return in.looksLikeLibSvm(conf, r.csv().skipLines()) ? SourceFormat.LIBSVM : SourceFormat.CSV;
  }

  /** Fails before training on an empty dataset, an empty split or an open-ended label column. */
  private static int check(LoadRequest r, RowSource source, DataSummary s) {
    long rows = s.trainRows() + s.validationRows();
    if (rows == 0) {
      throw new DataFormatException(r.path(), 0, "holds no data rows" + (s.skippedRows() == 0
          ? "; the dataset is empty (check --data and the header options)"
          : ": all " + s.skippedRows() + " rows are bad; the first: " + s.firstSkipped()));
    }
    if (s.trainRows() == 0) {
      throw new DataFormatException(r.path(), 0, "all " + rows + " rows went to validation "
          + "(fraction " + r.validationFraction() + "); lower --validation");
    }
    if (s.tooManyLabels()) {
      throw new DataFormatException(r.path(), 0, "the label column has more than "
          + DataSummary.MAX_DISTINCT_LABELS + " distinct values, too many for "
          + r.labels().task() + " classification; check --label, or train a regression model");
    }
    int features = source.features(s);
    if (features < 1) {
      throw new DataFormatException(r.path(), 0, "has no features (every row holds only a "
          + "label); a model needs at least one feature");
    }
    return features;
  }

  private static LabelEncoder encoder(LoadRequest r, DataSummary s) {
    if (r.labels() instanceof LabelSpec.Trained t) {
      return t.encoder();
    }
    Task task = r.labels().task();
    try {
      return LabelEncoder.fit(task, new ArrayList<>(s.labels()));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(r.path(), 0, e.getMessage());
    }
  }

  private static Standardizer standardizer(LoadRequest r, DataSummary s, int features) {
    Standardization st = r.standardization();
    if (st instanceof Standardization.Given g) {
      if (g.standardizer().features() != features) {
        throw new DataFormatException(r.path(), 0, "has " + features + " features but the "
            + "model's standardization is for " + g.standardizer().features() + "; use data with "
            + "the model's feature columns");
      }
      return g.standardizer();
    }
    return st instanceof Standardization.FitOnTrain
        ? Standardizer.fromMoments(s.trainRows(), s.sum(features), s.sumSq(features))
        : Standardizer.identity(features);
  }

  /** A shuffle's chunks of one split as one block per worker partition (cluster masters). */
  private static JavaRDD<Block> assembled(org.apache.spark.api.java.JavaPairRDD<Long, Block> chunks,
      boolean validation, Chunks.Layout layout, String name, String path, long seed) {
    JavaRDD<Block> blocks = chunks.mapPartitionsWithIndex((p, it) -> {
      Block b = Chunks.assemble(it, validation, layout, p);
      return List.of(validation ? b : PartitionWorker.preShuffle(b, seed, p)).iterator();
    }, true);
    blocks.setName("sparkps " + name + " blocks of " + path);
    return blocks.persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static JavaRDD<Block> gathered(JavaRDD<ParsedPartition> parsed, LoadRequest r,
      boolean validation, LabelCodec codec, Chunks.Layout layout, String name) {
    JavaRDD<Block> blocks = new GatherRdd(parsed.rdd(), r.partitions(), validation, codec,
        layout, r.seed()).toJavaRDD();
    blocks.setName("sparkps " + name + " blocks of " + r.path());
    // deserialized: a block is one float array, as compact as its serialized form, and epochs
    // then read it without decoding it again
    return blocks.persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * Each block's rows in a seeded random order, once ({@link PartitionWorker#preShuffle}), for
   * blocks built elsewhere than in {@link #load} (which shuffles its own as it assembles them).
   */
  public static <B extends Block> JavaRDD<B> preShuffled(JavaRDD<B> blocks, long seed) {
    return blocks.mapPartitionsWithIndex((p, it) -> {
      List<B> out = new ArrayList<>(1);
      it.forEachRemaining(b -> out.add(PartitionWorker.preShuffle(b, seed, p)));
      return out.iterator();
    }, true);
  }

  /** The rows of each partition's block, in partition order, counted by one Spark job. */
  public static int[] partitionRows(JavaRDD<? extends Block> blocks) {
    return blocks.map(Block::rows).collect().stream().mapToInt(Integer::intValue)
        .toArray();
  }

  /**
   * Computes and caches the blocks; their rows must be what the read counted. Returns the
   * rows of each partition's block.
   */
  private static int[] materialize(JavaRDD<Block> blocks, long expected, String split) {
    int[] perPartition = partitionRows(blocks);
    long rows = java.util.Arrays.stream(perPartition).asLongStream().sum();
    if (rows != expected) {
      throw new IllegalStateException("the " + split + " blocks hold " + rows + " rows but the "
          + "read counted " + expected + "; did the input change while it was read?");
    }
    return perPartition;
  }

  /**
   * The error to show for a failed load: a bad-data error thrown inside a Spark task comes back
   * wrapped in Spark's job failure; unwrap it so the message names file, line and value first.
   */
  private static RuntimeException located(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataFormatException d) {
        return d;
      }
    }
    return e instanceof RuntimeException re ? re
        : new IllegalStateException("loading the data failed: " + e.getMessage(), e);
  }
}
