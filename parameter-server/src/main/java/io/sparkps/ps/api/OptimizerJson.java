package io.sparkps.ps.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.optim.Optimizer;

/**
 * The optimizer travels as JSON (core's records carry Jackson type names), never as Java
 * serialization. Thread-safe.
 */
public final class OptimizerJson {
  private final ObjectMapper mapper = new ObjectMapper();

  public String write(Optimizer optimizer) {
    try {
      return mapper.writerFor(Optimizer.class).writeValueAsString(optimizer);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("optimizer " + optimizer + " cannot be written as JSON: "
          + e.getOriginalMessage() + ".", e);
    }
  }

  public Optimizer read(String json) {
    try {
      return mapper.readValue(json, Optimizer.class);
    } catch (JsonProcessingException e) {
      throw new ParameterServerException(ErrorCode.INVALID_REQUEST, "optimizer JSON " + json
          + " is not a known optimizer: " + e.getOriginalMessage() + "; client and server must "
          + "come from the same SparkPS release.", e);
    }
  }
}
