package io.sparkps.core.train;

/**
 * The rule behind {@code --local-steps auto}: how many minibatches a worker computes between two
 * averagings, from two measurements, a minibatch's compute time {@code c} and the wait of a round
 * {@code w} (the round trip to the parameter server), both taken by the workers before the first
 * round (the worker module's {@code Calibration}), unless no measurement could change the choice
 * ({@link #unmeasured}: a model so small that the bound decides on any core).
 *
 * <ol>
 *   <li><b>Hide the wait.</b> The smallest power of two {@code K} with {@code K c >= }
 *   {@value #COMPUTE_TO_WAIT}{@code  w}, so that a round spends at least 4/5 of its time
 *   computing. The wait is at least {@link #WAIT_FLOOR_SECONDS}: on a loaded host a round also
 *   waits for the server's and the worker's threads to be scheduled, which a few pulls timed
 *   before training do not see (2 to 5 ms a round measured on a busy 2-core machine,
 *   bench/README.md).</li>
 *   <li><b>Bound the staleness.</b> At most the largest power of two that leaves at least
 *   {@value #MIN_ROUNDS_PER_EPOCH} averagings per epoch on the smallest partition, and at most
 *   {@value #MAX_LOCAL_STEPS}. Local SGD matches minibatch SGD's accuracy while the steps between
 *   averagings stay small against the run (Stich, "Local SGD Converges Fast and Communicates
 *   Little", ICLR 2019; Lin et al., "Don't Use Large Mini-Batches, Use Local SGD", ICLR 2020);
 *   8 averagings an epoch keep each worker within 1/8 of an epoch of its own rows from the
 *   average, and 128 steps is the most measured here to reach the tuned accuracy (logistic
 *   regression, synth-1M).</li>
 * </ol>
 *
 * <p>{@code K} is the smaller of the two, at least 1. A step time of 0 (the trainer passes it when
 * the measured steps had not settled, the JIT compiler still at work) leaves the bound to decide:
 * the bound is what keeps accuracy, the first part only saves communication. A small data set (under 16 minibatches or
 * {@value #MIN_ROWS} rows per worker and epoch) therefore keeps one local step: workers push
 * gradients every round.
 *
 * @param minibatchSeconds the measured compute time of one minibatch
 * @param roundTripSeconds the measured round trip (before the floor)
 * @param hide the steps that hide the wait
 * @param bound the staleness bound
 * @param steps the chosen local steps
 */
public record LocalSteps(double minibatchSeconds, double roundTripSeconds, int hide, int bound,
    int steps) {

  /** Compute over wait that a round aims at. */
  public static final int COMPUTE_TO_WAIT = 4;
  /** The least a round is taken to wait. */
  public static final double WAIT_FLOOR_SECONDS = 0.002;
  /** Averagings an epoch keeps at least. */
  public static final int MIN_ROUNDS_PER_EPOCH = 8;
  /**
   * Fewer rows a worker than this keep one local step: their epoch's rounds cost some tens of
   * milliseconds in all, less than measuring would.
   */
  public static final long MIN_ROWS = 10_000;
  /** The most local steps chosen. */
  public static final int MAX_LOCAL_STEPS = 128;
  /**
   * A slow core's compiled speed, in floating-point operations a second, for {@link #unmeasured}:
   * a logistic step of 256 rows and 29 parameters (about 45k operations) measured 0.041 ms with
   * the Vector API on a core of the 2-core bench machine (1.1 GFLOP/s, 2026-12-03), the
   * perceptron's 128-row step 0.2 ms (about 25 GFLOP/s).
   */
  public static final double SLOW_FLOPS = 0.5e9;

  /**
   * Applies the rule to a minibatch's compute time, the round trip, the smallest partition's
   * rows and the batch size.
   */
  public static LocalSteps choose(double minibatchSeconds, double roundTripSeconds,
      long smallestPartitionRows, int batchSize) {
    double wait = Math.max(WAIT_FLOOR_SECONDS, roundTripSeconds);
    int hide = 1;
    while (hide < MAX_LOCAL_STEPS && hide * minibatchSeconds < COMPUTE_TO_WAIT * wait) {
      hide *= 2;
    }
    int bound = bound(smallestPartitionRows, batchSize);
    return new LocalSteps(minibatchSeconds, roundTripSeconds, hide, bound,
        Math.max(1, Math.min(hide, bound)));
  }

  /**
   * The choice when no measurement can change it: where even a slow core (at
   * {@link #SLOW_FLOPS}) computes a minibatch of a dense model of {@code parameters} in so little
   * time (about 6 operations a parameter and row: forward, backward and the gradient) that the
   * bound's half of the steps stays under 4x the least wait ({@link #WAIT_FLOOR_SECONDS}), the
   * first part of the rule picks at least the bound, as a faster measured step would; so does a
   * faster round trip, the wait being at least the floor. Then the choice is the bound, with
   * nothing measured; otherwise empty, and the steps and round trip are measured. (A sparse model
   * touches fewer parameters than it has, which only overestimates its step: it is measured.)
   */
  public static java.util.Optional<LocalSteps> unmeasured(long parameters,
      long smallestPartitionRows, int batchSize) {
    double slowest = 6.0 * parameters * Math.max(1, batchSize) / SLOW_FLOPS;
    LocalSteps k = choose(slowest, 0, smallestPartitionRows, batchSize);
    return k.steps() == k.bound() ? java.util.Optional.of(k) : java.util.Optional.empty();
  }

  /**
   * The staleness bound alone: the most local steps that leave {@value #MIN_ROUNDS_PER_EPOCH}
   * averagings an epoch on the smallest partition (a power of two, at most
   * {@value #MAX_LOCAL_STEPS}); 1 below {@value #MIN_ROWS} rows. Where it is 1 nothing needs
   * measuring.
   */
  public static int bound(long smallestPartitionRows, int batchSize) {
    if (smallestPartitionRows < MIN_ROWS) {
      return 1;
    }
    long minibatches = smallestPartitionRows / Math.max(1, batchSize);
    int bound = 1;
    while (bound < MAX_LOCAL_STEPS && 2L * bound * MIN_ROUNDS_PER_EPOCH <= minibatches) {
      bound *= 2;
    }
    return bound;
  }

  /** As {@link #explain}, for a choice made by {@link #unmeasured}. */
  public String explainUnmeasured(long parameters, int batchSize) {
    return String.format(java.util.Locale.ROOT, "local steps auto: %d, the staleness bound (at "
        + "most %d keep %d averagings per epoch), with nothing measured: a minibatch of %d rows "
        + "and %d parameters computes in at most %.3f ms even at %.1f GFLOP/s, so %d steps (half "
        + "the bound) would not make a round's compute %dx a wait of at least %.1f ms", steps, bound,
        MIN_ROUNDS_PER_EPOCH, batchSize, parameters, minibatchSeconds * 1e3, SLOW_FLOPS / 1e9,
        Math.max(1, bound / 2), COMPUTE_TO_WAIT, WAIT_FLOOR_SECONDS * 1e3);
  }

  /** One line saying what was measured, what was chosen and which part of the rule decided. */
  public String explain() {
    if (minibatchSeconds == 0) {
      return String.format(java.util.Locale.ROOT, "local steps auto: %d (the steps were not "
          + "measured; a round trip takes %.3f ms; at most %d keep %d averagings per epoch)",
          steps, roundTripSeconds * 1e3, bound, MIN_ROUNDS_PER_EPOCH);
    }
    return String.format(java.util.Locale.ROOT, "local steps auto: %d (a minibatch computes in "
        + "%.3f ms, a round trip takes %.3f ms, counted as at least %.1f ms; %d steps would make "
        + "a round's compute %dx its wait, and at most %d keep %d averagings per epoch)", steps,
        minibatchSeconds * 1e3, roundTripSeconds * 1e3, WAIT_FLOOR_SECONDS * 1e3, hide,
        COMPUTE_TO_WAIT, bound, MIN_ROUNDS_PER_EPOCH);
  }
}
