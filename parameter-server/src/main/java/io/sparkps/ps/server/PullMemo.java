package io.sparkps.ps.server;

import io.sparkps.ps.keyed.KeyedTable;
import java.util.Arrays;

/**
 * The slots in its shard's table of the keys of a connection's last keyed pull, kept for the
 * push that follows it: a worker pushes the keys it pulled, so the push's rows can be stepped
 * without looking its keys up in the table's index again (at 5,000 keys a pull, that lookup was
 * a third of the table's work, bench/README.md). Used once: a push takes them, whatever its keys,
 * and gets them only when its shard and keys are the pull's. The slots are valid for
 * {@link Slots#table} only, which the shard checks against its own table before using them (a
 * job replaced or restored in between has another). Confined to the connection's event loop,
 * where its keyed pulls' replies are built and its pushes read.
 */
final class PullMemo {
  /** The slots of a pull's keys in {@code table} (-1 for a key not stored then). */
  record Slots(KeyedTable table, int[] slots) {}

  private int shard = -1;
  private long[] keys;
  private Slots slots;

  /** Remembers the slots of a pull of {@code keys} from shard {@code shard}. */
  void remember(int shard, long[] keys, Slots slots) {
    this.shard = shard;
    this.keys = keys;
    this.slots = slots;
  }

  /** The remembered slots if the last pull was of {@code keys} from {@code shard}, else null. */
  Slots take(int shard, long[] keys) {
    Slots s = shard == this.shard && Arrays.equals(keys, this.keys) ? slots : null;
    this.shard = -1;
    this.keys = null;
    this.slots = null;
    return s;
  }
}
