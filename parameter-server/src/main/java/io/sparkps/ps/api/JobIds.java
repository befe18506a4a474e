package io.sparkps.ps.api;

import java.security.SecureRandom;

/**
 * Job ids: a random non-zero 64-bit number per training run, named by every job-scoped message,
 * so that a shard refuses the messages of any job but the one it runs (a late push of an earlier
 * run, or a second driver's init over a running job). Not a secret: the token authenticates.
 */
public final class JobIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private JobIds() {}

  /** A fresh id, never 0 (0 means "no job"). */
  public static long random() {
    long id;
    do {
      id = RANDOM.nextLong();
    } while (id == 0);
    return id;
  }

  /** How logs and errors write an id: 16 hex digits. */
  public static String format(long id) {
    return String.format("%016x", id);
  }
}
