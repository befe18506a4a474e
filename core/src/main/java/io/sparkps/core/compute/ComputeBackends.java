package io.sparkps.core.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds a compute backend by name: {@code cpu} (plain loops) is built in; {@code vector} (the
 * Vector API) when the JVM runs with {@code --add-modules jdk.incubator.vector}; {@code auto} is
 * {@code vector} where it can run and {@code cpu} elsewhere; other backends come via
 * ServiceLoader. A trainer first narrows {@code auto} to {@code cpu} for a JVM's first fit of a
 * model whose epoch is too little work for the Vector API's warm-up to pay ({@link #forWork}).
 */
public final class ComputeBackends {
  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private ComputeBackends() {
  }

  /**
   * Parameters times rows a worker in one epoch at or below which {@code auto} trains on the
   * scalar kernels ({@value}, about 1.7e7). Measured (bench/README.md, issue 18): in a fresh JVM
   * the Vector API runs interpreted until the JIT compiler has compiled its kernels, and the
   * first 390 steps of logistic regression on synth's 28 features cost 0.43 to 1.62 s a worker
   * on it against 0.10 to 0.32 s on the scalar kernels (2 to 4 s against 0.2 to 0.7 s on a busy
   * machine); compiled, the vector kernels save about 10 to 15 ns a parameter and row in the
   * training loop (a part of 98k rows a worker: 0.01 to 0.02 s against 0.04 to 0.06 s), so an
   * epoch of this much work saves about 0.2 s once warm, less than the warm-up costs a run that
   * trains an epoch or two in a fresh JVM (a command line run). The rule holds for a JVM's first
   * fit only ({@link #forWork}): a JVM that trains again takes the vector kernels.
   */
  public static final long SCALAR_WORK = 1L << 24;

  /**
   * The backend to train {@code parameters} on at most {@code rowsPerWorker} rows a worker in a
   * JVM that has trained {@code fitsBefore} models before: {@code cpu} where {@code name} is
   * {@code auto}, an epoch's work a worker (parameters times rows) is at most
   * {@link #SCALAR_WORK} and this is the JVM's first fit; otherwise {@code name} (so {@code auto}
   * still falls back per JVM). The Vector API's JIT warm-up is paid once per JVM: a JVM that
   * trains again (a notebook's or a grid search's estimator, a benchmark) pays it in its second
   * fit and gains in every later one (a compiled part of 98k rows a worker: 0.006 to 0.012 s
   * against 0.015 to 0.035 s on the scalar kernels, bench/README.md), while a command line run
   * trains once. A function of the model, the data and the driver's count only, so every task
   * and every retry of a run computes with the same kernels.
   */
  public static String forWork(String name, long parameters, long rowsPerWorker,
      int fitsBefore) {
    return name.equals("auto") && fitsBefore == 0 && small(parameters, rowsPerWorker)
        ? CpuBackend.INSTANCE.name() : name;
  }

  /** {@link #describe(String)} of {@link #forWork}'s choice, with the reason. */
  public static String describe(String name, long parameters, long rowsPerWorker,
      int fitsBefore) {
    if (!name.equals("auto") || !small(parameters, rowsPerWorker)) {
      return describe(name);
    }
    String work = String.format(java.util.Locale.ROOT, "a model of %d parameters on at most %d "
        + "rows a worker is %.2g parameter-rows an epoch, at most %.2g", parameters,
        rowsPerWorker, (double) parameters * rowsPerWorker, (double) SCALAR_WORK);
    if (fitsBefore == 0) {
      return "compute backend auto: cpu (" + work + ", and this JVM's first fit: too little "
          + "work for the vector backend's JIT warm-up to pay)";
    }
    if (!vectorAvailable()) {
      return describe(name);
    }
    return "compute backend auto: vector (" + work + ", but this JVM has trained " + fitsBefore
        + " model" + (fitsBefore == 1 ? "" : "s") + " before: its JIT warm-up is paid once a "
        + "JVM, and a JVM that trains again gains it back)";
  }

  private static boolean small(long parameters, long rowsPerWorker) {
    return parameters > 0 && rowsPerWorker >= 0
        && parameters <= SCALAR_WORK / Math.max(1, rowsPerWorker);
  }

  /** Whether this JVM can run the Vector API backend. */
  public static boolean vectorAvailable() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /**
   * One sentence saying which backend {@code name} runs as in this JVM and why (for the log):
   * {@code auto} names the one it chose.
   */
  public static String describe(String name) {
    if (!name.equals("auto")) {
      return "compute backend: " + name;
    }
    return vectorAvailable()
        ? "compute backend auto: vector (the JVM has " + VECTOR_MODULE + ")"
        : "compute backend auto: cpu (the JVM lacks " + VECTOR_MODULE + "; start it with "
            + "--add-modules " + VECTOR_MODULE + " for the faster vector backend)";
  }

  /** The backend called {@code name}; fails with the list of available names. */
  public static ComputeBackend byName(String name) {
    if (name.equals(CpuBackend.INSTANCE.name())) {
      return CpuBackend.INSTANCE;
    }
    if (name.equals("auto")) {
      return vectorAvailable() ? vector() : CpuBackend.INSTANCE;
    }
    if (name.equals("vector")) {
      if (!vectorAvailable()) {
        throw new IllegalArgumentException("the vector backend needs the JVM option "
            + "--add-modules " + VECTOR_MODULE + " (on executors too, through "
            + "spark.executor.extraJavaOptions); or use --backend auto, which falls back to cpu");
      }
      return vector();
    }
    List<String> names = new ArrayList<>(List.of(CpuBackend.INSTANCE.name(), "vector", "auto"));
    for (ComputeBackend b : ServiceLoader.load(ComputeBackend.class)) {
      if (b.name().equals(name)) {
        return b;
      }
      names.add(b.name());
    }
    throw new IllegalArgumentException("no compute backend named '" + name + "'; available: "
        + names + " (a GPU backend is added by putting its jar on the classpath)");
  }

  /** Loaded by name so that this class links where the incubator module is absent. */
  private static ComputeBackend vector() {
    try {
      return (ComputeBackend) Class.forName("io.sparkps.core.compute.VectorBackend")
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the vector backend: " + e, e);
    }
  }
}
