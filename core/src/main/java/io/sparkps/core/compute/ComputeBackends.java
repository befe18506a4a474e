package io.sparkps.core.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds a compute backend by name: {@code cpu} is built in, others come via ServiceLoader. */
public final class ComputeBackends {
  private ComputeBackends() {
  }

  /** The backend called {@code name}; fails with the list of available names. */
  public static ComputeBackend byName(String name) {
    if (name.equals(CpuBackend.INSTANCE.name())) {
      return CpuBackend.INSTANCE;
    }
    List<String> names = new ArrayList<>(List.of(CpuBackend.INSTANCE.name()));
    for (ComputeBackend b : ServiceLoader.load(ComputeBackend.class)) {
      if (b.name().equals(name)) {
        return b;
      }
      names.add(b.name());
    }
    throw new IllegalArgumentException("no compute backend named '" + name + "'; available: "
        + names + " (a GPU backend is added by putting its jar on the classpath)");
  }
}
