package io.sparkps.dl4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.optim.Optimizer;
import io.sparkps.driver.train.RuntimeSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.api.TrainingResult;
import org.deeplearning4j.spark.api.TrainingWorker;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deeplearning4j {@link TrainingMaster} that trains through SparkPS's parameter server, a
 * drop-in replacement for {@code ParameterAveragingTrainingMaster}:
 *
 * <pre>{@code
 * TrainingMaster tm = new SparkPsTrainingMaster.Builder(1).batchSizePerWorker(32).build();
 * SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, conf, tm);
 * net.fit(trainingData);   // one epoch, as with DL4J's own masters
 * }</pre>
 *
 * <p>Each {@code fit} runs SparkPS's training ({@link Dl4jTrainer}): the data's partitions are
 * cached once as plain arrays (one block each), then one barrier stage per epoch whose workers
 * pull the network's flat parameters from the server, compute, and push, round after round. By
 * default workers push the mean gradient of one minibatch and the server applies the network's
 * updater (bulk synchronous: the same step as DL4J's single-JVM {@code fit} on the union of the
 * workers' minibatches); with {@link Builder#localSteps} (or {@code averagingFrequency}) they
 * take K steps of DL4J's own updater and the server averages parameters and updater state. The
 * server's job lives as long as this master, so optimizer state carries from one {@code fit} to
 * the next; {@link #deleteTempFiles} (or {@link #close}) stops it.
 *
 * <p>Listeners set on the master are told each epoch's end on the driver, with the network
 * holding the server's parameters. Hooks ({@link #addHook}) run inside DL4J's own workers, which
 * SparkPS does not use; they are refused. DL4J's training statistics are not collected: each
 * epoch's loss, rounds and time are in {@link #epochResults()} and in the log.
 */
public final class SparkPsTrainingMaster
    implements TrainingMaster<TrainingResult, TrainingWorker<TrainingResult>>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkPsTrainingMaster.class);

  private final Optional<Integer> workers;
  private final Dl4jTrainer.Settings settings;
  private final Optional<java.net.URI> resumeFrom;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final List<Dl4jTrainer.EpochResult> results = new ArrayList<>();
  private transient Dl4jTrainer trainer;
  private transient Cached cached;

  /** The blocks made from one input RDD, kept while the same RDD is trained on. */
  private record Cached(int rddId, JavaRDD<NetBlock> blocks) {
  }

  private SparkPsTrainingMaster(Builder b) {
    this.workers = b.workers;
    this.resumeFrom = b.resumeFrom;
    this.settings = new Dl4jTrainer.Settings(b.batchSize, b.localSteps, b.optimizer, b.seed,
        b.shuffle, b.runtime.orElseGet(() -> RuntimeSettings.embedded(1)));
  }

  /** The settings this master trains with. */
  public Dl4jTrainer.Settings settings() {
    return settings;
  }

  /** Every epoch trained so far: its loss, examples, rounds and seconds. */
  public List<Dl4jTrainer.EpochResult> epochResults() {
    return List.copyOf(results);
  }

  @Override
  public void executeTraining(SparkDl4jMultiLayer network, JavaRDD<DataSet> data) {
    network.setScore(train(network.getSparkContext(), Dl4jNet.of(network.getNetwork()), data));
  }

  @Override
  public void executeTraining(SparkComputationGraph graph, JavaRDD<DataSet> data) {
    graph.setScore(train(graph.getSparkContext(), Dl4jNet.of(graph.getNetwork()), data));
  }

  @Override
  public void executeTrainingMDS(SparkComputationGraph graph, JavaRDD<MultiDataSet> data) {
    JavaRDD<DataSet> single = data.map(SparkPsTrainingMaster::single);
    graph.setScore(train(graph.getSparkContext(), Dl4jNet.of(graph.getNetwork()), single));
  }

  /** A multi data set of one input and one output as a data set. */
  static DataSet single(MultiDataSet m) {
    if (m.numFeatureArrays() != 1 || m.numLabelsArrays() != 1) {
      throw new IllegalArgumentException("SparkPsTrainingMaster trains graphs of one input and "
          + "one output; this MultiDataSet has " + m.numFeatureArrays() + " feature and "
          + m.numLabelsArrays() + " label arrays");
    }
    return new DataSet(m.getFeatures(0), m.getLabels(0), m.getFeaturesMaskArray(0),
        m.getLabelsMaskArray(0));
  }

  @Override
  public void executeTrainingPaths(SparkDl4jMultiLayer network, SparkComputationGraph graph,
      JavaRDD<String> paths, DataSetLoader dsLoader, MultiDataSetLoader mdsLoader) {
    throw new UnsupportedOperationException("SparkPsTrainingMaster trains on an RDD of DataSet, "
        + "not on paths: load them first (for example paths.map(p -> loader.load(...))) and "
        + "call fit(JavaRDD<DataSet>)");
  }

  /**
   * The epochs a master built with {@link Builder#resumeFrom} continues after: before the first
   * {@code fit}, those the checkpoint's state records; after it, those the parameter server
   * restored (one more when the run died between the server's checkpoint and the driver's
   * record). 0 for a new run. A resumed run trains {@code total - epochsDone()} more fits.
   */
  public int epochsDone() {
    if (trainer != null) {
      return trainer.history().size();
    }
    return resumeFrom.map(d -> io.sparkps.driver.train.RunCheckpoint.open(d,
        new org.apache.hadoop.conf.Configuration()).read().map(r -> r.state().epoch())
        .orElse(0)).orElse(0);
  }

  private double train(JavaSparkContext sc, Dl4jNet net, JavaRDD<DataSet> data) {
    if (trainer == null) {
      trainer = new Dl4jTrainer(sc, settings, resumeFrom
          .map(d -> Dl4jCheckpoints.resume(d, sc.hadoopConfiguration()))
          .orElseGet(() -> Dl4jCheckpoints.of(settings.runtime(), sc.hadoopConfiguration())));
    }
    List<Dl4jTrainer.EpochResult> r = trainer.fit(net, blocks(data), 1, e -> {
      results.add(e);
      for (TrainingListener l : listeners) {
        l.onEpochEnd(net.network());
      }
    });
    // DL4J's SparkDl4jMultiLayer and SparkComputationGraph count the epoch after this returns
    net.setEpochCount(net.epochCount() - 1);
    return r.get(r.size() - 1).meanLoss();
  }

  /** One cached block per partition (per worker, when the builder set their number). */
  private JavaRDD<NetBlock> blocks(JavaRDD<DataSet> data) {
    if (cached != null && cached.rddId() == data.id()) {
      return cached.blocks();
    }
    unpersist();
    JavaRDD<DataSet> parts = workers.isPresent() && workers.get() != data.getNumPartitions()
        ? data.repartition(workers.get()) : data;
    JavaRDD<NetBlock> blocks = parts.mapPartitions(it -> {
      List<DataSet> list = new ArrayList<>();
      it.forEachRemaining(list::add);
      return List.of(NetBlock.of(list)).iterator();
    }).setName("sparkps-dl4j-blocks").cache();
    cached = new Cached(data.id(), blocks);
    return blocks;
  }

  private void unpersist() {
    if (cached != null) {
      cached.blocks().unpersist(false);
      cached = null;
    }
  }

  /** Stops the parameter server's job and drops the cached blocks. */
  @Override
  public void close() {
    unpersist();
    if (trainer != null) {
      trainer.close();
      trainer = null;
    }
  }

  @Override
  public boolean deleteTempFiles(JavaSparkContext sc) {
    close();
    return true;
  }

  @Override
  public boolean deleteTempFiles(SparkContext sc) {
    close();
    return true;
  }

  @Override
  public void addHook(TrainingHook hook) {
    throw new UnsupportedOperationException("SparkPsTrainingMaster does not run DL4J's training "
        + "workers, where hooks run; use a TrainingListener (setListeners), told each epoch's "
        + "end on the driver");
  }

  @Override
  public void removeHook(TrainingHook hook) {
    // no hook is ever added
  }

  @Override
  public TrainingWorker<TrainingResult> getWorkerInstance(SparkDl4jMultiLayer network) {
    throw noWorkers();
  }

  @Override
  public TrainingWorker<TrainingResult> getWorkerInstance(SparkComputationGraph graph) {
    throw noWorkers();
  }

  private static UnsupportedOperationException noWorkers() {
    return new UnsupportedOperationException("SparkPsTrainingMaster trains with SparkPS's "
        + "parameter server and barrier stages, not DL4J's TrainingWorker");
  }

  @Override
  public void setCollectTrainingStats(boolean collect) {
    if (collect) {
      LOG.warn("SparkPsTrainingMaster does not collect DL4J's SparkTrainingStats; each epoch's "
          + "loss, rounds and time are in epochResults() and in the log");
    }
  }

  @Override
  public boolean getIsCollectTrainingStats() {
    return false;
  }

  @Override
  public SparkTrainingStats getTrainingStats() {
    return null; // as DL4J's masters when statistics are not collected
  }

  @Override
  public void setListeners(Collection<TrainingListener> given) {
    listeners.clear();
    listeners.addAll(given);
  }

  @Override
  public void setListeners(StatsStorageRouter router, Collection<TrainingListener> given) {
    setListeners(given);
  }

  @Override
  public String toJson() {
    return write(new ObjectMapper());
  }

  @Override
  public String toYaml() {
    return write(new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()));
  }

  private String write(ObjectMapper mapper) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "SparkPsTrainingMaster");
    m.put("workers", workers.orElse(null));
    m.put("batchSizePerWorker", settings.batchSize());
    m.put("localSteps", settings.localSteps());
    m.put("optimizer", settings.optimizer().orElse(null));
    m.put("seed", settings.seed());
    m.put("shuffle", settings.shuffle());
    m.put("sync", settings.runtime().sync());
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the training master's settings: "
          + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SparkPsTrainingMaster" + settings;
  }

  /** Builds a {@link SparkPsTrainingMaster}; the names follow DL4J's masters where they mean the same. */
  public static final class Builder {
    private Optional<Integer> workers = Optional.empty();
    private int batchSize = 16;
    private int localSteps;
    private Optional<Optimizer> optimizer = Optional.empty();
    private long seed = 12345;
    private boolean shuffle = true;
    private Optional<RuntimeSettings> runtime = Optional.empty();
    private Optional<java.net.URI> checkpointDir = Optional.empty();
    private Optional<java.net.URI> resumeFrom = Optional.empty();

    /**
     * As {@code ParameterAveragingTrainingMaster.Builder(rddDataSetNumExamples)}: the number of
     * examples in each {@code DataSet} of the RDD. SparkPS merges each partition's data sets into
     * one block, so any size works; it must be at least 1.
     */
    public Builder(int rddDataSetNumExamples) {
      this(null, rddDataSetNumExamples);
    }

    /** As above, training with {@code numWorkers} partitions (the data is repartitioned). */
    public Builder(Integer numWorkers, int rddDataSetNumExamples) {
      if (rddDataSetNumExamples < 1) {
        throw new IllegalArgumentException("rddDataSetNumExamples must be at least 1, got "
            + rddDataSetNumExamples);
      }
      if (numWorkers != null && numWorkers < 1) {
        throw new IllegalArgumentException("numWorkers must be at least 1, got " + numWorkers);
      }
      this.workers = Optional.ofNullable(numWorkers);
    }

    /** Examples per worker and minibatch (default 16). */
    public Builder batchSizePerWorker(int size) {
      this.batchSize = size;
      return this;
    }

    /**
     * Workers take {@code k} steps of DL4J's own updater per round and push the change of
     * parameters and updater state, which the server averages (default: workers push gradients
     * and the server applies the network's updater).
     */
    public Builder localSteps(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("localSteps must be at least 1, got " + k);
      }
      this.localSteps = k;
      return this;
    }

    /** DL4J's name for {@link #localSteps}: minibatches between averagings. */
    public Builder averagingFrequency(int k) {
      return localSteps(k);
    }

    /** The server's update rule when workers push gradients (default: the network's updater). */
    public Builder optimizer(Optimizer rule) {
      this.optimizer = Optional.of(rule);
      return this;
    }

    /** The seed of each epoch's shuffle of a partition's examples. */
    public Builder rngSeed(long value) {
      this.seed = value;
      return this;
    }

    /** Whether each epoch visits a partition's examples in a new seeded order (default true). */
    public Builder shuffle(boolean value) {
      this.shuffle = value;
      return this;
    }

    /**
     * Where the parameter server runs and how rounds synchronize (default: an in-process
     * server on the driver, bulk synchronous).
     */
    public Builder runtime(RuntimeSettings value) {
      this.runtime = Optional.of(value);
      return this;
    }

    /** {@code sync} (default), {@code ssp:S} or {@code async}, with the in-process server. */
    public Builder sync(String mode) {
      RuntimeSettings r = runtime.orElseGet(() -> RuntimeSettings.embedded(1));
      this.runtime = Optional.of(new RuntimeSettings(r.workers(), r.parameterServers(),
          r.token(), r.adminToken(), r.psCertificatePem(), r.shards(), mode,
          r.pullDeadlineSeconds(), r.backend(), r.checkpointDir()));
      return this;
    }

    /**
     * Checkpoints every epoch into {@code dir} (any Hadoop file system URI, absent or empty; the
     * run claims it): the parameter server's shards under {@code dir/ps/<run id>/}, the run's
     * state under {@code dir/run/}, as {@code sparkps train --checkpoint-dir}. A run that died
     * continues with a new master built with {@link #resumeFrom}.
     */
    public Builder checkpointDir(java.net.URI dir) {
      this.checkpointDir = Optional.of(dir);
      return this;
    }

    /**
     * Continues the run that checkpointed into {@code dir}: the first {@code fit} restores the
     * parameter server's checkpoint (parameters, the server's optimizer state, with local steps
     * DL4J's updater state) into the network and trains the next epoch, checkpointing on into
     * the same directory. Give the network as configured, the same data partitions and these
     * same settings; {@link SparkPsTrainingMaster#epochsDone()} says how many epochs are done.
     */
    public Builder resumeFrom(java.net.URI dir) {
      this.resumeFrom = Optional.of(dir);
      return checkpointDir(dir);
    }

    public SparkPsTrainingMaster build() {
      if (checkpointDir.isPresent()) {
        RuntimeSettings r = runtime.orElseGet(() -> RuntimeSettings.embedded(1));
        runtime = Optional.of(new RuntimeSettings(r.workers(), r.parameterServers(), r.token(),
            r.adminToken(), r.psCertificatePem(), r.shards(), r.sync(), r.pullDeadlineSeconds(),
            r.backend(), checkpointDir));
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSizePerWorker must be at least 1, got "
            + batchSize);
      }
      return new SparkPsTrainingMaster(this);
    }
  }
}
