package io.sparkps.driver.train;

import io.sparkps.ps.api.RoundStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a run's rounds spent their time, as {@code metrics.json} keeps it for {@code sparkps
 * report}: the time between consecutive published versions within one barrier stage (a round
 * as the workers see it: pull, compute, push, wait), the server's wait for the slowest worker
 * of each round (from the first to the last counted push), and the bytes each epoch exchanged.
 * A round that starts a stage is left out of {@code roundMillis}: its time includes Spark
 * launching the stage and the driver's validation before it. At most {@link #MAX_SAMPLES}
 * rounds are kept, every {@code stride}-th one, so a long run's file stays small.
 *
 * @param roundMillis milliseconds per round (the server's clock, whole milliseconds)
 * @param waitForSlowestMillis milliseconds from each round's first push to its last
 * @param stride every how many rounds one was kept (1: all)
 * @param epochBytes payload bytes pulled and pushed by all workers, per epoch run in this
 *     process (epochs restored by {@code resume} are not in it)
 */
public record RoundTimes(List<Double> roundMillis, List<Double> waitForSlowestMillis,
    int stride, List<Long> epochBytes) {

  /** The most rounds kept. */
  public static final int MAX_SAMPLES = 20_000;

  public RoundTimes {
    roundMillis = List.copyOf(roundMillis);
    waitForSlowestMillis = List.copyOf(waitForSlowestMillis);
    epochBytes = List.copyOf(epochBytes);
  }

  /** No rounds (a run that trained nothing here). */
  public static RoundTimes empty() {
    return new RoundTimes(List.of(), List.of(), 1, List.of());
  }

  /**
   * The times of {@code rounds} (shard 0's account, oldest first); {@code stageStarts} holds the
   * first round of every stage.
   */
  static RoundTimes of(List<RoundStats> rounds, Set<Long> stageStarts, List<Long> epochBytes) {
    int stride = Math.max(1, (rounds.size() + MAX_SAMPLES - 1) / MAX_SAMPLES);
    List<Double> times = new ArrayList<>();
    List<Double> waits = new ArrayList<>();
    for (int i = 0; i < rounds.size(); i += stride) {
      RoundStats r = rounds.get(i);
      waits.add(r.waitForSlowestMillis());
      if (i > 0 && !stageStarts.contains(r.round())
          && rounds.get(i - 1).round() == r.round() - 1) {
        times.add((double) (r.completedAtMillis() - rounds.get(i - 1).completedAtMillis()));
      }
    }
    return new RoundTimes(times, waits, stride, epochBytes);
  }
}
