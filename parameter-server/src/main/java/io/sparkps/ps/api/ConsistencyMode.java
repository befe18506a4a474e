package io.sparkps.ps.api;

/**
 * When the server applies pushes and when a pull of round r may return.
 *
 * <ul>
 *   <li>{@link Sync}: bulk synchronous parallel (Valiant 1990). Round r is applied once all N
 *       partitions pushed it; a pull of r waits for version r.
 *   <li>{@link Ssp}: stale synchronous parallel (Ho et al. 2013, "More Effective Distributed ML
 *       via a Stale Synchronous Parallel Parameter Server"). Each push is applied on arrival; a
 *       worker may pull for round r once the slowest partition has pushed round r - s - 1.
 *   <li>{@link Async}: Downpour SGD (Dean et al. 2012, "Large Scale Distributed Deep Networks").
 *       Each push is applied on arrival; pulls never wait.
 * </ul>
 */
public sealed interface ConsistencyMode {

  /** The wire code of the mode. */
  int wireCode();

  /** The staleness bound s (0 for sync, unbounded for async). */
  int staleness();

  /** Bulk synchronous: the default. */
  record Sync() implements ConsistencyMode {
    public int wireCode() {
      return 0;
    }

    public int staleness() {
      return 0;
    }
  }

  /** Bounded staleness: a worker runs at most {@code staleness} rounds ahead of the slowest. */
  record Ssp(int staleness) implements ConsistencyMode {
    public Ssp {
      if (staleness < 0) {
        throw new IllegalArgumentException("ssp staleness must be at least 0, got " + staleness
            + " (use 0 for lock-step behaviour, or sync mode).");
      }
    }

    public int wireCode() {
      return 1;
    }
  }

  /** Apply every push on arrival. */
  record Async() implements ConsistencyMode {
    public int wireCode() {
      return 2;
    }

    public int staleness() {
      return Integer.MAX_VALUE;
    }
  }

  /** Decodes {@link #wireCode()} and {@link #staleness()}. */
  static ConsistencyMode fromWire(int code, int staleness) {
    return switch (code) {
      case 0 -> new Sync();
      case 1 -> new Ssp(staleness);
      case 2 -> new Async();
      default -> throw new IllegalArgumentException(
          "consistency mode code must be 0 (sync), 1 (ssp) or 2 (async), got " + code + ".");
    };
  }
}
