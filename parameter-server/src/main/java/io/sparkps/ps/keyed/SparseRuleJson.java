package io.sparkps.ps.keyed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A {@link SparseOptimizer} as JSON with its type name ({@code adagrad}, {@code lazy-adam},
 * {@code ftrl}), never Java serialization: how a keyed job declares its rule to the servers.
 * Thread-safe.
 */
public final class SparseRuleJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SparseRuleJson() {
  }

  public static String write(SparseOptimizer rule) {
    try {
      return MAPPER.writerFor(SparseOptimizer.class).writeValueAsString(rule);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("sparse rule " + rule + " cannot be written as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /** The rule {@code json} names; a clear {@link IllegalArgumentException} otherwise. */
  public static SparseOptimizer read(String json) {
    try {
      return MAPPER.readValue(json, SparseOptimizer.class);
    } catch (JsonProcessingException e) {
      Throwable c = e.getCause() instanceof IllegalArgumentException ia ? ia : e;
      throw new IllegalArgumentException("sparse rule JSON " + json + " is not a valid rule "
          + "(adagrad, lazy-adam or ftrl with their fields): " + (c == e
          ? e.getOriginalMessage() : c.getMessage()), e);
    }
  }
}
