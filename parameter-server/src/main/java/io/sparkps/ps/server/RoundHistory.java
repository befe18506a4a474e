package io.sparkps.ps.server;

import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.wire.Protocol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The last {@link #LIMIT} completed rounds of a shard's job. Not thread-safe: the shard's. */
final class RoundHistory {
  static final int LIMIT = 100_000;
  private final ArrayDeque<RoundStats> rounds = new ArrayDeque<>();

  void add(RoundStats r) {
    rounds.addLast(r);
    if (rounds.size() > LIMIT) {
      rounds.removeFirst();
    }
  }

  void clear() {
    rounds.clear();
  }

  /**
   * Completed rounds from {@code fromRound} on, oldest first, at most {@link
   * Protocol#HISTORY_PAGE_ROUNDS} of them (one reply's worth).
   */
  List<RoundStats> from(long fromRound) {
    List<RoundStats> out = new ArrayList<>();
    for (RoundStats r : rounds) {
      if (r.round() >= fromRound) {
        out.add(r);
        if (out.size() == Protocol.HISTORY_PAGE_ROUNDS) {
          break;
        }
      }
    }
    return out;
  }

  Optional<RoundStats> last() {
    return Optional.ofNullable(rounds.peekLast());
  }
}
