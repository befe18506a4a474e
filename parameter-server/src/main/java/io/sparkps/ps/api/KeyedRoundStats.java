package io.sparkps.ps.api;

/**
 * What a keyed round moved on one shard (all zeros for a dense job), or summed over the shards
 * ({@link #plus}).
 *
 * @param keysPulled keys the round's pulls asked for (each pull's keys counted once)
 * @param keysPushed keys the round's pushes carried (a key pushed by two partitions counts twice)
 * @param keysUpdated distinct keys the round updated
 * @param bytesIn payload bytes of the keyed pulls and pushes received
 * @param bytesOut payload bytes of the keyed rows sent
 * @param tableKeys keys stored when the round completed
 * @param tableBytes bytes the table retained when the round completed
 */
public record KeyedRoundStats(
    long keysPulled, long keysPushed, long keysUpdated, long bytesIn, long bytesOut,
    long tableKeys, long tableBytes) {

  /** A dense round's. */
  public static final KeyedRoundStats NONE = new KeyedRoundStats(0, 0, 0, 0, 0, 0, 0);

  /** The sum of two shards' counts of one round. */
  public KeyedRoundStats plus(KeyedRoundStats o) {
    return new KeyedRoundStats(keysPulled + o.keysPulled, keysPushed + o.keysPushed,
        keysUpdated + o.keysUpdated, bytesIn + o.bytesIn, bytesOut + o.bytesOut,
        tableKeys + o.tableKeys, tableBytes + o.tableBytes);
  }
}
