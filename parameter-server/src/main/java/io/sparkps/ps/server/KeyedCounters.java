package io.sparkps.ps.server;

import io.sparkps.ps.api.KeyedRoundStats;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.keyed.KeyedTable;
import java.util.List;

/**
 * What a keyed shard moved since its last completed round: keys pulled, pushed and updated, and
 * the payload bytes of the keyed requests and replies. When a push completes a round, the counts
 * close into that round's {@link RoundStats} with the table's size then. Thread-safe: the
 * replies of keyed pulls count on several threads at once ({@link Shard#replyNow}).
 */
final class KeyedCounters {
  private long keysPulled;
  private long keysPushed;
  private long keysUpdated;
  private long bytesIn;
  private long bytesOut;

  synchronized void pulled(int keys) {
    keysPulled += keys;
  }

  synchronized void bytes(long in, long out) {
    bytesIn += in;
    bytesOut += out;
  }

  /** Counts applied rows: {@code pushed} keys the pushes carried, {@code updated} distinct. */
  synchronized void pushed(long pushed, long updated) {
    keysPushed += pushed;
    keysUpdated += updated;
  }

  /**
   * Puts the counts into the last round {@code published} holds (a push that completes several
   * async rounds at once credits the last) and starts counting anew; nothing if none completed.
   */
  synchronized void close(List<RoundStats> published, KeyedTable table) {
    if (published.isEmpty()) {
      return;
    }
    int last = published.size() - 1;
    published.set(last, published.get(last).withKeyed(new KeyedRoundStats(keysPulled,
        keysPushed, keysUpdated, bytesIn, bytesOut, table.size(), table.bytes())));
    keysPulled = 0;
    keysPushed = 0;
    keysUpdated = 0;
    bytesIn = 0;
    bytesOut = 0;
  }
}
