package io.sparkps.core.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds a compute backend by name: {@code cpu} (plain loops) is built in; {@code vector} (the
 * Vector API) when the JVM runs with {@code --add-modules jdk.incubator.vector}; {@code auto} is
 * {@code vector} where it can run and {@code cpu} elsewhere; other backends come via
 * ServiceLoader.
 */
public final class ComputeBackends {
  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private ComputeBackends() {
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
