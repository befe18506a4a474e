package io.sparkps.worker;

import io.sparkps.ps.client.ParameterServerClient;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;

/**
 * Aborts a task's parameter-server client as soon as Spark kills the task, so that a task blocked
 * in a pull gives its executor slot back at once instead of at the pull deadline.
 *
 * <p>Spark kills a task (for example every other task of a barrier stage when one fails) by
 * marking its {@link TaskContext} interrupted and, only if asked to, interrupting its thread; a
 * blocking socket read responds to neither, and {@code TaskContext}'s failure and completion
 * listeners run only after the task body returns. So one daemon thread per executor JVM polls
 * {@link TaskContext#isInterrupted()} of each watched task every {@value #POLL_MILLIS} ms and
 * calls {@link ParameterServerClient#abort()}; the blocked call then fails with
 * {@code ABORTED} and Spark records the task as killed.
 */
public final class KillWatch implements AutoCloseable {
  static final long POLL_MILLIS = 100;
  private static final ScheduledExecutorService POLLER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sparkps-task-kill-watch");
        t.setDaemon(true);
        return t;
      });
  private final ScheduledFuture<?> poll;

  private KillWatch(ScheduledFuture<?> poll) {
    this.poll = poll;
  }

  /**
   * Watches the Spark task running on the calling thread, if any; outside Spark (no
   * {@link TaskContext}) it watches nothing.
   */
  public static KillWatch of(ParameterServerClient client) {
    return of(client::abort);
  }

  /** As {@link #of(ParameterServerClient)} for any client's idempotent {@code abort}. */
  public static KillWatch of(Runnable abort) {
    TaskContext ctx = TaskContext.get();
    if (ctx == null) {
      return new KillWatch(null);
    }
    // abort() is idempotent: polling on after it until close() costs nothing worth a flag
    Runnable check = () -> {
      if (ctx.isInterrupted()) {
        abort.run();
      }
    };
    return new KillWatch(POLLER.scheduleWithFixedDelay(check, POLL_MILLIS, POLL_MILLIS,
        TimeUnit.MILLISECONDS));
  }

  /** Stops watching (the task body has returned or thrown). */
  @Override
  public void close() {
    if (poll != null) {
      poll.cancel(false);
    }
  }
}
