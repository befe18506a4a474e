package io.sparkps.driver.train;

import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ShardStatus;

/** A daemon thread that polls the server's version during an epoch and reports progress. */
final class RoundPoller implements AutoCloseable {
  private static final long PERIOD_MILLIS = 500;

  private final Thread thread;
  private volatile boolean running = true;

  RoundPoller(ParameterServerAdmin admin, RoundProgress progress, int epoch, int epochs,
      long firstRound, long rounds) {
    long start = System.nanoTime();
    thread = new Thread(() -> {
      while (running) {
        try {
          Thread.sleep(PERIOD_MILLIS);
          long version = admin.describe().stream().mapToLong(ShardStatus::version).min()
              .orElse(firstRound);
          progress.onRounds(epoch, epochs, Math.max(0, Math.min(rounds, version - firstRound)),
              rounds, (System.nanoTime() - start) / 1e9);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // progress is best effort: a failed poll must never fail the run
        }
      }
    }, "sparkps-progress");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
