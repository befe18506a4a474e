package io.sparkps.ps.api;

/** How the server took a push. None of these is an error. */
public enum PushOutcome {
  /** Counted towards its round. */
  ACCEPTED,
  /** {@code (round, partition)} was already counted (a retried task); ignored. */
  DUPLICATE;

  public static PushOutcome fromWire(int code) {
    PushOutcome[] all = values();
    if (code < 0 || code >= all.length) {
      throw new IllegalArgumentException("push outcome code must be 0 to " + (all.length - 1)
          + ", got " + code + ".");
    }
    return all[code];
  }
}
