package io.sparkps.ps.wire;

import io.sparkps.ps.api.ErrorCode;

/** A frame that cannot be decoded; the connection answers with an error frame and closes. */
public final class FrameException extends RuntimeException {
  private final ErrorCode code;

  public FrameException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
