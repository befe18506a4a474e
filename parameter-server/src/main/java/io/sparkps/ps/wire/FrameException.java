package io.sparkps.ps.wire;

import io.sparkps.ps.api.ErrorCode;

/** A frame that cannot be decoded; the connection answers with an error frame and closes. */
public final class FrameException extends RuntimeException {
  private final ErrorCode code;
  private final int peerVersion;

  public FrameException(ErrorCode code, String message) {
    this(code, message, Protocol.VERSION);
  }

  /** A refusal to be written in a frame of {@code peerVersion}, which the peer can read. */
  public FrameException(ErrorCode code, String message, int peerVersion) {
    super(message);
    this.code = code;
    this.peerVersion = peerVersion;
  }

  /** The protocol version the answering error frame is stamped with. */
  public int peerVersion() {
    return peerVersion;
  }

  public ErrorCode code() {
    return code;
  }
}
