package io.sparkps.ps.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** The job's shared secret: read from a file, compared in constant time. */
public final class Tokens {
  /** Shortest token accepted. */
  public static final int MIN_LENGTH = 8;

  private Tokens() {}

  /** Whether {@code offered} equals {@code expected}, in time independent of where they differ. */
  public static boolean matches(String expected, String offered) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        offered.getBytes(StandardCharsets.UTF_8));
  }

  /** Checks that {@code token} is long enough to be a secret; returns it. */
  public static String require(String token) {
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("the job token must have at least " + MIN_LENGTH
          + " characters, got " + token.length() + "; generate one per job (for example "
          + "openssl rand -hex 16) and pass it with --token-file.");
    }
    return token;
  }

  /** The token in {@code file}: its first line, trimmed. */
  public static String read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      int newline = text.indexOf('\n');
      return require(newline < 0 ? text : text.substring(0, newline).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the token file " + file + " ("
          + e.getClass().getSimpleName() + "); check the path and its permissions.", e);
    }
  }
}
