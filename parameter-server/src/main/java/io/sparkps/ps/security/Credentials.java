package io.sparkps.ps.security;

/**
 * The two secrets of a parameter server: the worker token, which may push and pull (and ask
 * what a shard holds, wait for a version and read the round history), and the admin token, which
 * may also start, replace, checkpoint and restore jobs and stop the server. A training run's
 * in-process server always has two distinct random tokens and ships only the worker token to its
 * executors; a standalone server without {@code --admin-token-file} has one token for both roles.
 * {@link #toString()} never shows either.
 */
public record Credentials(String workerToken, String adminToken) {

  /** What a hello's token grants. */
  public enum Role {
    /** Push, pull and read-only requests. */
    WORKER,
    /** Everything, including init, restore, checkpoint and shutdown. */
    ADMIN,
    /** Nothing: the token matches neither secret. */
    NONE
  }

  public Credentials {
    Tokens.require(workerToken);
    Tokens.require(adminToken);
  }

  /** One token for both roles (tests, and standalone servers given only --token-file). */
  public static Credentials single(String token) {
    return new Credentials(token, token);
  }

  /** Whether the worker token also grants admin requests. */
  public boolean shared() {
    return Tokens.matches(workerToken, adminToken);
  }

  /** The role {@code offered} grants; both secrets are compared in constant time. */
  public Role roleOf(String offered) {
    boolean admin = Tokens.matches(adminToken, offered);
    boolean worker = Tokens.matches(workerToken, offered);
    return admin ? Role.ADMIN : worker ? Role.WORKER : Role.NONE;
  }

  @Override
  public String toString() {
    return "Credentials[workerToken=(hidden), adminToken=" + (shared() ? "(same as worker)"
        : "(hidden)") + "]";
  }
}
