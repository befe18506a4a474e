package io.sparkps.ps.api;

/**
 * Every error the parameter server answers with. The wire code is stable; {@link #retryable()}
 * says whether sending the same request again can help.
 */
public enum ErrorCode {
  /** Magic number wrong or frame layout inconsistent: the stream cannot be trusted. */
  MALFORMED_FRAME(1, false),
  /** Frame length over the server's limit; refused before its payload is read. */
  FRAME_TOO_LARGE(2, false),
  /** A frame started but did not complete within the frame timeout. */
  TRUNCATED_FRAME(3, false),
  /** The frame's protocol version is not one this server speaks. */
  UNSUPPORTED_VERSION(4, false),
  /** Missing or wrong token, or a request before the hello. */
  AUTH_FAILED(5, false),
  /** The request is well-formed but not valid (wrong length, bad field value). */
  INVALID_REQUEST(6, false),
  /** A push contains NaN or infinity. */
  NON_FINITE_VALUES(7, false),
  /** A push for a round the server does not know yet (the worker ran ahead of the protocol). */
  UNKNOWN_ROUND(8, false),
  /** A pull or await deadline expired; the message names the partitions still missing. */
  DEADLINE_EXCEEDED(9, false),
  /** The shard has no job yet (init not called, or a restore pending). */
  NOT_INITIALIZED(10, true),
  /** This process does not host the requested shard. */
  UNKNOWN_SHARD(11, false),
  /** The server is stopping; another attempt may reach its replacement. */
  SHUTTING_DOWN(12, true),
  /** The connection failed or closed (client side). */
  UNAVAILABLE(13, true),
  /** Checkpoint or restore failed in storage. */
  STORAGE_FAILED(14, true),
  /** A bug in the server; details in its log. */
  INTERNAL(15, false),
  /** A sync checkpoint asked for a version the shard has already moved past; ask again. */
  VERSION_PASSED(16, true),
  /** The client was aborted while a call was in flight (client side; never retried). */
  ABORTED(17, false),
  /**
   * The message names another job than the one the shard runs, or an init would replace a
   * running job without the admin asking to replace it.
   */
  WRONG_JOB(18, false),
  /**
   * The connection authenticated with the worker token, which may not send this request (init,
   * restore, checkpoint, shutdown need the admin token).
   */
  FORBIDDEN(19, false),
  /**
   * The shard was restored from its checkpoint when its process started and no run has claimed
   * it: only the admin's restore ({@code ParameterServerAdmin.restore}) gives it a job, so a
   * worker's message (a retry of a round before the restart, say) never continues on the restored
   * state unnoticed. The run's driver recovers by restoring every shard.
   */
  UNCLAIMED(20, false);

  private final int wireCode;
  private final boolean retryable;

  ErrorCode(int wireCode, boolean retryable) {
    this.wireCode = wireCode;
    this.retryable = retryable;
  }

  public int wireCode() {
    return wireCode;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The code for {@code wireCode}; unknown codes (a newer server) read as {@link #INTERNAL}. */
  public static ErrorCode fromWire(int wireCode) {
    for (ErrorCode c : values()) {
      if (c.wireCode == wireCode) {
        return c;
      }
    }
    return INTERNAL;
  }
}
