package io.sparkps.bench.compare;

/**
 * A stopwatch of training time that held-out evaluation pauses, so that every trainer is timed
 * the same way: from the start of its fit, without the harness's own measurements.
 */
public final class TrainClock {
  private long started;
  private long pausedAt = -1;
  private long paused;

  /** Starts (or restarts) at zero. */
  public void start() {
    started = System.nanoTime();
    paused = 0;
    pausedAt = -1;
  }

  public void pause() {
    if (pausedAt < 0) {
      pausedAt = System.nanoTime();
    }
  }

  public void resume() {
    if (pausedAt >= 0) {
      paused += System.nanoTime() - pausedAt;
      pausedAt = -1;
    }
  }

  /** Training seconds so far (paused time left out). */
  public double seconds() {
    long now = pausedAt >= 0 ? pausedAt : System.nanoTime();
    return (now - started - paused) / 1e9;
  }
}
