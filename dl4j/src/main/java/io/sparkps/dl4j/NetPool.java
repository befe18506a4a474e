package io.sparkps.dl4j;

import java.util.ArrayDeque;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The networks an executor's epoch tasks built, kept for the next epoch's tasks of the same
 * network: building one from its JSON (parsing, allocating, initializing parameters that the
 * first pull overwrites anyway) is paid once per task slot and run, not once per task and epoch.
 *
 * <p>A reused network is indistinguishable from a new one for the task: its parameters and
 * updater state are loaded from the server before every step, its configuration (DL4J's
 * iteration and epoch counters included) must serialize to exactly the job's JSON or it is not
 * used, and ND4J's random generator of the task's thread is set to the state a new network's
 * initialization leaves it in (DL4J seeds it with the configuration's seed and then draws the
 * initial weights), so dropout and other random layers draw the same numbers.
 *
 * <p>Only the latest network's configuration is kept (a new one drops the others), and at most
 * {@link #MAX_FREE} of its networks, as many as tasks run at once on an executor in practice.
 */
final class NetPool {
  static final int MAX_FREE = 4;
  private static final Pattern COUNTERS =
      Pattern.compile("\"(iterationCount|epochCount)\"\\s*:\\s*\\d+");
  private static final Object LOCK = new Object();
  private static final ArrayDeque<Pooled> FREE = new ArrayDeque<>();
  private static String key = "";

  /** A network and the random generator's state its initialization left. */
  private record Pooled(Dl4jNet net, long rootState, long nodeState) {
  }

  /** A network handed out by {@link #take}; give it back with {@link #give} after a good task. */
  record Lease(Dl4jNet net, String key, long rootState, long nodeState, boolean reused) {
  }

  private NetPool() {
  }

  /** A network of {@code json} with DL4J's counters {@code iterations} and {@code epoch}. */
  static Lease take(String json, int iterations, int epoch) {
    String k = COUNTERS.matcher(json).replaceAll("\"$1\":0");
    Pooled p = null;
    synchronized (LOCK) {
      if (k.equals(key)) {
        p = FREE.poll();
      }
    }
    if (p != null) {
      p.net().setIterationCount(iterations);
      p.net().setEpochCount(epoch);
      if (p.net().configJson().equals(json)) {
        Nd4j.getRandom().setStates(p.rootState(), p.nodeState());
        return new Lease(p.net(), k, p.rootState(), p.nodeState(), true);
      }
    }
    Dl4jNet net = Dl4jNet.fromJson(json);
    Random r = Nd4j.getRandom();
    return new Lease(net, k, r.rootState(), r.nodeState(), false);
  }

  /** Keeps a network whose task finished for the next epoch's tasks. */
  static void give(Lease lease) {
    synchronized (LOCK) {
      if (!lease.key().equals(key)) {
        FREE.clear();
        key = lease.key();
      }
      if (FREE.size() < MAX_FREE) {
        FREE.push(new Pooled(lease.net(), lease.rootState(), lease.nodeState()));
      }
    }
  }

  /** Drops every kept network (tests). */
  static void clear() {
    synchronized (LOCK) {
      FREE.clear();
      key = "";
    }
  }
}
