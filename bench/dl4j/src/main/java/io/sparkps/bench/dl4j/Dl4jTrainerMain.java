package io.sparkps.bench.dl4j;

import io.sparkps.bench.compare.BenchData;
import io.sparkps.bench.compare.BenchSpark;
import io.sparkps.bench.compare.HeldOut;
import io.sparkps.bench.compare.MemoryProbe;
import io.sparkps.bench.compare.TrainClock;
import io.sparkps.bench.compare.TrainerOptions;
import io.sparkps.bench.compare.TrainerResult;
import io.sparkps.core.data.ExampleBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dl4j-mlp}: deeplearning4j's {@link SparkDl4jMultiLayer} with {@link
 * ParameterAveragingTrainingMaster} (the mode STACK-NOTES found reliable), the comparison's
 * perceptron (ReLU hidden layers, softmax output of two classes, Adam), one {@code fit} per
 * epoch and held-out metrics between epochs with the clock paused.
 */
@Command(name = "dl4j-trainer", mixinStandardHelpOptions = true,
    description = "Trains DL4J's Spark perceptron on a prepared dataset and writes its result.")
public final class Dl4jTrainerMain implements Callable<Integer> {

  @Option(names = "--trainer", defaultValue = "dl4j-mlp")
  String trainer;

  @Option(names = "--epochs", defaultValue = "10", description = "Most epochs to run.")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128", description = "Rows per minibatch.")
  int batchSize;

  @Option(names = "--averaging-frequency", defaultValue = "5",
      description = "Minibatches between two parameter averagings.")
  int averaging;

  @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate.")
  double lr;

  @CommandLine.Mixin
  TrainerOptions options;

  @Override
  public Integer call() {
    Path prepared = options.prepared;
    String dataset = options.dataset;
    int cores = options.cores;
    double budget = options.budget;
    List<Integer> hidden = options.hidden;
    long seed = options.seed;
    Path result = options.result;
    BenchData.Prepared data = BenchData.open(dataset, prepared, options.parts);
    SparkSession spark = BenchSpark.start("bench dl4j-mlp " + dataset, cores,
        "org.nd4j.kryo.Nd4jRegistrator");
    try {
      ExampleBlock test = data.test();
      int d = data.features();
      int bs = batchSize;
      JavaRDD<ExampleBlock> blocks = BenchSpark.trainBlocks(spark, data,
          StorageLevel.MEMORY_ONLY());
      JavaRDD<DataSet> train = blocks.flatMap(b -> minibatches(b, bs).iterator())
          .persist(StorageLevel.MEMORY_ONLY());
      long batches = train.count();
      blocks.unpersist(true);

      NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
          .seed(seed).updater(new Adam(lr)).weightInit(WeightInit.XAVIER).list();
      int in = d;
      for (int h : hidden) {
        layers.layer(new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU)
            .build());
        in = h;
      }
      MultiLayerConfiguration conf = layers.layer(new OutputLayer.Builder(
          LossFunctions.LossFunction.MCXENT).nIn(in).nOut(2).activation(Activation.SOFTMAX)
          .build()).build();
      if (options.warmsUp()) {
        // untimed fits of separate networks on the first rows (an epoch each): ND4J's native
        // start-up and JIT compilation stay out of the timed fit, as for every trainer of the
        // comparison
        JavaRDD<DataSet> small = JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(train.take(Math.max(1, options.warmupRows / bs)), cores)
            .persist(StorageLevel.MEMORY_ONLY());
        options.warmup().run(() -> new SparkDl4jMultiLayer(spark.sparkContext(), conf.clone(),
            trainingMaster()).fit(small));
        small.unpersist(true);
      }
      SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(spark.sparkContext(), conf,
          trainingMaster());
      INDArray features = Nd4j.create(test.features(), new long[] {test.rows(), d},
          org.nd4j.linalg.api.buffer.DataType.FLOAT);

      TrainClock clock = new TrainClock();
      List<TrainerResult.Point> points = new ArrayList<>();
      int ran = 0;
      String note = "";
      clock.start();
      for (int e = 1; e <= epochs; e++) {
        net.fit(train);
        ran = e;
        clock.pause();
        INDArray out = net.getNetwork().output(features);
        float[] p1 = out.getColumn(1).toFloatVector();
        double[] s = HeldOut.score(test.labels(), p1);
        points.add(new TrainerResult.Point(clock.seconds(), e, s[0], s[1]));
        System.out.printf("dl4j-mlp epoch %d: %.1f s, accuracy %.4f, log loss %.4f%n", e,
            clock.seconds(), s[1], s[0]);
        clock.resume();
        if (clock.seconds() > budget && e < epochs) {
          note = "stopped after " + e + " epochs: time budget " + (int) budget + " s";
          break;
        }
      }
      clock.pause();
      long params = net.getNetwork().numParams();
      // each averaging moves the parameters and Adam's two moments both ways per worker
      double bytesPerRound = 2.0 * 4 * params * 3 * cores;
      long rounds = (long) ran * Math.max(1, batches / ((long) cores * averaging));
      StringBuilder model = new StringBuilder("mlp ").append(d);
      hidden.forEach(h -> model.append('-').append(h));
      TrainerResult r = new TrainerResult(trainer, dataset, model.append("-2").toString(),
          "parameter averaging every " + averaging + " minibatches of " + bs + ", Adam lr " + lr
              + ", up to " + epochs + " epochs",
          cores, data.trainRows(), data.testRows(), clock.seconds(),
          (long) ran * data.trainRows(), rounds, bytesPerRound, points,
          MemoryProbe.peakRssBytes(), MemoryProbe.peakHeapBytes(), MemoryProbe.maxHeapBytes(),
          (note.isEmpty() ? "" : note + "; ") + "bytes and rounds estimated", null);
      r.write(result);
      System.out.printf("dl4j-mlp on %s: %.1f s, accuracy %.4f%n", dataset, r.fitSeconds(),
          r.last().accuracy());
      return 0;
    } finally {
      spark.stop();
    }
  }

  private ParameterAveragingTrainingMaster trainingMaster() {
    return new ParameterAveragingTrainingMaster.Builder(batchSize)
        .batchSizePerWorker(batchSize).averagingFrequency(averaging).workerPrefetchNumBatches(2)
        .rddTrainingApproach(RDDTrainingApproach.Direct).repartionData(Repartition.Never)
        .storageLevel(StorageLevel.MEMORY_ONLY()).rngSeed(options.seed).build();
  }

  /** The block's rows as DataSets of {@code size} rows with one-hot labels. */
  static List<DataSet> minibatches(ExampleBlock b, int size) {
    List<DataSet> out = new ArrayList<>();
    int c = b.cols();
    for (int from = 0; from < b.rows(); from += size) {
      int n = Math.min(size, b.rows() - from);
      float[] x = java.util.Arrays.copyOfRange(b.features(), from * c, (from + n) * c);
      float[] y = new float[n * 2];
      for (int i = 0; i < n; i++) {
        y[i * 2 + (int) b.labels()[from + i]] = 1;
      }
      out.add(new DataSet(Nd4j.create(x, new long[] {n, c},
          org.nd4j.linalg.api.buffer.DataType.FLOAT), Nd4j.create(y, new long[] {n, 2},
          org.nd4j.linalg.api.buffer.DataType.FLOAT)));
    }
    return out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Dl4jTrainerMain()).execute(args));
  }
}
