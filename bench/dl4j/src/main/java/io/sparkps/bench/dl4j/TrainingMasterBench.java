package io.sparkps.bench.dl4j;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SynthData;
import io.sparkps.dl4j.SparkPsTrainingMaster;
import io.sparkps.driver.SparkSessions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code training-master-bench}: the same DL4J network, data, epochs and workers trained with
 * DL4J's {@code ParameterAveragingTrainingMaster}, with SparkPS's {@code SparkPsTrainingMaster},
 * and (for the scaling target) with DL4J's single-JVM {@code fit}; prints one line per run:
 * seconds of the {@code fit} calls only and held-out accuracy. Data: the 8x8 digits
 * (notebooks-data/data/digits.csv.gz, 1797 rows) with a LeNet-style network, or the synth
 * perceptron 28-64-64-2 of the comparison.
 */
@Command(name = "training-master-bench", mixinStandardHelpOptions = true)
public final class TrainingMasterBench implements Callable<Integer> {

  @Option(names = "--data", defaultValue = "digits", description = "digits or synth")
  String data;

  @Option(names = "--rows", defaultValue = "100000", description = "synth rows (80% train)")
  int rows;

  @Option(names = "--epochs", defaultValue = "10")
  int epochs;

  @Option(names = "--workers", defaultValue = "2")
  int workers;

  @Option(names = "--batch-size", defaultValue = "32", description = "per worker")
  int batch;

  @Option(names = "--masters", defaultValue = "paramavg,sparkps",
      description = "paramavg, sparkps, sparkps-local (local steps = averaging frequency), "
          + "single (one JVM, no Spark)")
  String masters;

  @Option(names = "--averaging-frequency", defaultValue = "5")
  int averaging;

  @Option(names = "--root", defaultValue = ".", description = "the SparkPS checkout")
  Path root;

  @Option(names = "--master", description = "Spark master (default local[max(2, workers)]); "
      + "for a standalone cluster (spark://...) give the executors this module's class path "
      + "with -Dspark.executor.extraClassPath=... (see bench/README.md)")
  String sparkMaster;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainingMasterBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<DataSet> all = data.equals("digits") ? digits(root) : synth(rows);
    Collections.shuffle(all, new Random(7));
    int cut = all.size() * 4 / 5;
    List<DataSet> train = all.subList(0, cut);
    DataSet test = DataSet.merge(all.subList(cut, all.size()));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkSessions.getOrCreate(
        SparkSessions.Settings.defaults()
            .withMaster(sparkMaster != null ? sparkMaster : "local[" + Math.max(2, workers) + "]")
            .withUi(false).with("spark.kryo.registrator",
                SparkSessions.REGISTRATORS + ",org.nd4j.kryo.Nd4jRegistrator"))
        .sparkContext());
    // minibatches of the batch size, as DL4J users hand them to fit
    List<DataSet> batches = new ArrayList<>();
    for (int i = 0; i < train.size(); i += batch) {
      batches.add(DataSet.merge(train.subList(i, Math.min(train.size(), i + batch))));
    }
    JavaRDD<DataSet> rdd = sc.parallelize(batches, workers).cache();
    rdd.count();
    System.out.printf(Locale.ROOT, "# %s: %d train, %d test rows, %d workers, batch %d per "
        + "worker, %d epochs, omp threads %s, master %s%n", data, train.size(),
        test.numExamples(), workers, batch, epochs, System.getenv("OMP_NUM_THREADS"),
        sc.master());
    // one untimed epoch of every master first: JIT, ND4J's native start-up and Spark's first
    // jobs would otherwise count against whichever master runs first
    int timed = epochs;
    epochs = 1;
    for (String m : masters.split(",")) {
      run(m.trim(), sc, rdd, batches, test, false);
    }
    epochs = timed;
    for (String m : masters.split(",")) {
      run(m.trim(), sc, rdd, batches, test, true);
    }
    return 0;
  }

  private MultiLayerConfiguration conf() {
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(12345)
        .updater(new Adam(data.equals("digits") ? 0.005 : 0.001))
        .weightInit(WeightInit.XAVIER).list();
    if (data.equals("digits")) {
      return b.layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU)
              .build())
          .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
              .stride(2, 2).build())
          .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build())
          .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
              .activation(Activation.SOFTMAX).build())
          .setInputType(InputType.convolutionalFlat(8, 8, 1)).build();
    }
    return b.layer(new DenseLayer.Builder().nIn(28).nOut(64).activation(Activation.RELU).build())
        .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.feedForward(28)).build();
  }

  private void run(String master, JavaSparkContext sc, JavaRDD<DataSet> rdd,
      List<DataSet> batches, DataSet test, boolean report) {
    MultiLayerNetwork net;
    long t0 = System.nanoTime();
    double[] cpu0 = cpuSeconds(sc);
    if (master.equals("single")) {
      net = new MultiLayerNetwork(conf());
      net.init();
      t0 = System.nanoTime();
      for (int e = 0; e < epochs; e++) {
        for (DataSet d : batches) {
          net.fit(d);
        }
      }
    } else {
      TrainingMaster<?, ?> tm = switch (master) {
        case "paramavg" -> new ParameterAveragingTrainingMaster.Builder(workers, batch)
            .batchSizePerWorker(batch).averagingFrequency(averaging).rngSeed(12345).build();
        case "sparkps" -> new SparkPsTrainingMaster.Builder(workers, batch)
            .batchSizePerWorker(batch).rngSeed(12345).build();
        case "sparkps-local" -> new SparkPsTrainingMaster.Builder(workers, batch)
            .batchSizePerWorker(batch).averagingFrequency(averaging).rngSeed(12345).build();
        default -> throw new IllegalArgumentException("unknown master " + master);
      };
      SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, conf(), tm);
      t0 = System.nanoTime();
      for (int e = 0; e < epochs; e++) {
        spark.fit(rdd);
      }
      net = spark.getNetwork();
      tm.deleteTempFiles(sc);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double[] cpu1 = cpuSeconds(sc);
    if (!report) {
      return;
    }
    double accuracy = net.evaluate(new SingletonDataSetIterator(test)).accuracy();
    long examples = (long) epochs * batches.stream().mapToLong(DataSet::numExamples).sum();
    System.out.printf(Locale.ROOT, "%-14s %8.2f s  %10.0f examples/s  held-out accuracy %.4f"
        + "  cpu s: driver %.2f, executors %.2f, load %.1f%n", master, seconds,
        examples / seconds, accuracy, cpu1[0] - cpu0[0], cpu1[1] - cpu0[1],
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            .getSystemLoadAverage());
  }

  /**
   * CPU seconds (user and system, from /proc) of this JVM and of this application's executor
   * JVMs on this machine (none in local mode, where the workers run in this JVM); zeros where
   * /proc cannot be read.
   */
  static double[] cpuSeconds(JavaSparkContext sc) {
    String app = sc.sc().applicationId();
    double driver = procCpu(ProcessHandle.current().pid());
    double executors = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid)
        .filter(pid -> {
          String c = procCommand(pid); // ProcessHandle.Info leaves out long command lines
          return c.contains("CoarseGrainedExecutorBackend") && c.contains(app);
        })
        .mapToDouble(TrainingMasterBench::procCpu).sum();
    return new double[] {driver, executors};
  }

  private static String procCommand(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
          StandardCharsets.UTF_8);
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }

  private static double procCpu(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime; USER_HZ
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  static List<DataSet> digits(Path root) throws Exception {
    List<DataSet> out = new ArrayList<>();
    Path f = root.resolve("notebooks-data/data/digits.csv.gz");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] v = line.split(",");
        float[] x = new float[64];
        for (int i = 0; i < 64; i++) {
          x[i] = Float.parseFloat(v[i]) / 16f;
        }
        float[] y = new float[10];
        y[Integer.parseInt(v[64].trim())] = 1;
        out.add(new DataSet(Nd4j.create(x, new long[] {1, 64}, 'c'),
            Nd4j.create(y, new long[] {1, 10}, 'c')));
      }
    }
    return out;
  }

  static List<DataSet> synth(int n) {
    ExampleBlock b = SynthData.block(n);
    List<DataSet> out = new ArrayList<>(n);
    float[] f = b.features();
    for (int i = 0; i < n; i++) {
      float[] y = new float[2];
      y[(int) b.labels()[i]] = 1;
      out.add(new DataSet(Nd4j.create(java.util.Arrays.copyOfRange(f, i * 28, i * 28 + 28),
          new long[] {1, 28}, 'c'), Nd4j.create(y, new long[] {1, 2}, 'c')));
    }
    return out;
  }
}
