package io.sparkps.core.io;

import java.io.IOException;

/**
 * A model directory that cannot be read as a SparkPS model: a missing file, malformed or
 * inconsistent JSON, an unsupported format version, a truncated or corrupt parameter file.
 * Retrying does not help; the message names the file, the value found and what to do.
 */
public final class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
