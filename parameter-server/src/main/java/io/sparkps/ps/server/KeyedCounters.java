package io.sparkps.ps.server;

import io.sparkps.ps.api.RoundStats;
import java.util.List;

/**
 * What a keyed shard moved since its last published round: keys pulled and pushed and the bytes
 * of the keyed requests and replies. Not thread-safe: {@link Shard} guards it.
 */
final class KeyedCounters {
  private long keysPulled;
  private long keysPushed;
  private long keysApplied;
  private long bytesIn;
  private long bytesOut;
  private Totals last = new Totals(0, 0, 0, 0, 0);

  /** The counts of one round. */
  record Totals(long keysPulled, long keysPushed, long keysApplied, long bytesIn, long bytesOut) {}

  void pulled(int keys) {
    keysPulled += keys;
  }

  void bytes(long in, long out) {
    bytesIn += in;
    bytesOut += out;
  }

  /**
   * Counts applied rows: {@code pushed} keys carried by the pushes, {@code applied} distinct keys
   * updated; when {@code published} holds a completed round the counts since the last one close.
   */
  void pushed(long pushed, long applied, List<RoundStats> published) {
    keysPushed += pushed;
    keysApplied += applied;
    if (!published.isEmpty()) {
      last = new Totals(keysPulled, keysPushed, keysApplied, bytesIn, bytesOut);
      keysPulled = 0;
      keysPushed = 0;
      keysApplied = 0;
      bytesIn = 0;
      bytesOut = 0;
    }
  }

  /** The counts of the last completed round. */
  Totals last() {
    return last;
  }
}
