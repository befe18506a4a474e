package io.sparkps.driver.train;

import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ShardStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A daemon thread that watches the shards during a checkpointed keyed epoch (its stage, the wait
 * for its last round and its held-out loss; not the export and checkpoint, while which a shard
 * streaming its table answers nothing else) and calls {@code onLoss} once when one is lost: it does not answer (its process died), its version went
 * back (it restarted from a checkpoint), or it runs no job or another job than this run's (it
 * restarted and has not been claimed, or another driver replaced the job). Such an epoch must not
 * complete: the restarted shards hold an older round than the others, and a round computed from
 * the two would count, so the run restores every shard from its last checkpoint instead
 * ({@link KeyedEpochs#recover}).
 */
final class ShardWatch implements AutoCloseable {
  private static final long PERIOD_MILLIS = 250;

  private final Thread thread;
  private final Tracker tracker = new Tracker();
  private volatile boolean running = true;
  private volatile Optional<String> lost = Optional.empty();

  ShardWatch(ParameterServerAdmin admin, long jobId, Runnable onLoss) {
    thread = new Thread(() -> {
      while (running && lost.isEmpty()) {
        try {
          Thread.sleep(PERIOD_MILLIS);
          lost = tracker.check(admin.describe(), jobId);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          if (running) {
            lost = Optional.of("a shard did not answer: " + e.getMessage());
          }
        }
        if (running && lost.isPresent()) {
          onLoss.run();
        }
      }
    }, "sparkps-shard-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** Each shard's highest version seen, and the rule that calls a shard lost. */
  static final class Tracker {
    private final Map<Integer, Long> highest = new HashMap<>();

    /** Why a shard counts as lost in {@code status}, or empty; remembers each version. */
    Optional<String> check(List<ShardStatus> status, long jobId) {
      for (ShardStatus s : status) {
        long before = highest.getOrDefault(s.shardId(), Long.MIN_VALUE);
        if (s.version() < before) {
          return Optional.of("shard " + s.shardId() + " went back from version " + before
              + " to " + s.version() + ": it restarted from a checkpoint");
        }
        if (s.jobId() != jobId) {
          return Optional.of("shard " + s.shardId() + " runs " + (s.jobId() == 0
              ? "no claimed job (it restarted)" : "another job") + " instead of this run's");
        }
        highest.put(s.shardId(), s.version());
      }
      return Optional.empty();
    }
  }

  /** Why a shard was lost during the epoch, if one was. */
  Optional<String> lost() {
    return lost;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
