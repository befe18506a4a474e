package io.sparkps.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report reads from a run's {@code metrics.json} (written by {@code train},
 * {@code retrain} and {@code resume}; see {@code RunReport}). Fields that a file of an older
 * SparkPS lacks (the round times) come back empty; a field of the wrong type fails with the
 * file and the field.
 *
 * @param source where the file was read from, for messages
 * @param train final metrics on the training rows
 * @param validation final metrics on the validation rows (empty without validation)
 * @param epochs one entry per epoch
 * @param summary the run's scalar fields in file order (trainSeconds, rounds, ...)
 * @param roundMillis milliseconds per round (sampled), empty when the file has none
 * @param waitMillis the server's wait for the slowest worker per round (sampled)
 * @param epochBytes bytes exchanged per epoch run in the process that wrote the file
 */
public record RunMetrics(String source, Map<String, Double> train, Map<String, Double> validation,
    List<Epoch> epochs, Map<String, String> summary, List<Double> roundMillis,
    List<Double> waitMillis, List<Long> epochBytes) {

  /**
   * One epoch of {@code history}.
   *
   * @param epoch 1-based epoch number
   * @param trainLoss mean training objective
   * @param validationLoss validation loss (NaN without validation)
   * @param rows training rows seen
   * @param seconds wall time
   * @param validationMetrics validation metrics after the epoch
   */
  public record Epoch(int epoch, double trainLoss, double validationLoss, long rows,
      double seconds, Map<String, Double> validationMetrics) {

    /** Rows per second, NaN for an epoch without a measured time. */
    public double rowsPerSecond() {
      return seconds > 0 ? rows / seconds : Double.NaN;
    }
  }

  /** The scalar fields shown in the summary table, in this order, when present. */
  static final List<String> SUMMARY_FIELDS = List.of("trainRows", "validationRows",
      "skippedRows", "workers", "sync", "localSteps", "rounds", "loadSeconds", "trainSeconds",
      "rowsPerSecond", "bytesExchanged", "bestEpoch", "stopReason", "duplicatePushes");

  /** Parses the bytes of a {@code metrics.json} read from {@code source}. */
  public static RunMetrics parse(byte[] json, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
          + "); it should be the metrics.json that 'sparkps train --out' writes", e);
    }
    if (root == null || !root.isObject() || !root.has("history")) {
      throw new IllegalArgumentException(source + " has no 'history' field; it should be the "
          + "metrics.json that 'sparkps train --out' writes");
    }
    List<Epoch> epochs = new ArrayList<>();
    for (JsonNode e : array(root, "history", source)) {
      epochs.add(new Epoch(e.path("epoch").asInt(), number(e.path("trainLoss")),
          number(e.path("validationLoss")), e.path("rows").asLong(),
          number(e.path("seconds")), numbers(e.path("validationMetrics"))));
    }
    Map<String, String> summary = new LinkedHashMap<>();
    for (String f : SUMMARY_FIELDS) {
      if (root.has(f)) {
        summary.put(f, root.get(f).asText());
      }
    }
    JsonNode times = root.path("roundTimes");
    List<Long> bytes = new ArrayList<>();
    times.path("epochBytes").forEach(b -> bytes.add(b.asLong()));
    return new RunMetrics(source, numbers(root.path("train")), numbers(root.path("validation")),
        List.copyOf(epochs), summary, doubles(times.path("roundMillis")),
        doubles(times.path("waitForSlowestMillis")), List.copyOf(bytes));
  }

  private static JsonNode array(JsonNode root, String field, String source) {
    JsonNode a = root.get(field);
    if (!a.isArray()) {
      throw new IllegalArgumentException(source + ": field '" + field + "' should be a list, "
          + "got " + a.getNodeType() + "; the file is not a SparkPS metrics.json");
    }
    return a;
  }

  /** A number; NaN for a missing field or a quoted "NaN" (how Jackson writes it). */
  static double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isTextual()) {
      try {
        return Double.parseDouble(n.asText());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  private static Map<String, Double> numbers(JsonNode obj) {
    Map<String, Double> m = new LinkedHashMap<>();
    obj.fields().forEachRemaining(e -> m.put(e.getKey(), number(e.getValue())));
    return m;
  }

  private static List<Double> doubles(JsonNode arr) {
    List<Double> out = new ArrayList<>();
    arr.forEach(x -> out.add(number(x)));
    return List.copyOf(out);
  }
}
