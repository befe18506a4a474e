package io.sparkps.ps.api;

/** A failed parameter-server request: an {@link ErrorCode} and a sentence saying what to do. */
public final class ParameterServerException extends RuntimeException {
  private final ErrorCode code;

  public ParameterServerException(ErrorCode code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public ParameterServerException(ErrorCode code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** Whether the same request may succeed if sent again. */
  public boolean retryable() {
    return code.retryable();
  }
}
