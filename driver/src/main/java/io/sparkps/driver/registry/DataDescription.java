package io.sparkps.driver.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a version was trained on, written as its {@code data.json} together with the gate's
 * decision and the version it started from.
 *
 * @param path the data path as given to {@code --data}
 * @param trainRows rows trained on
 * @param validationRows rows the gate compared the models on
 * @param skippedRows bad rows skipped ({@code --bad-rows skip})
 * @param featureNames the feature columns, in order
 * @param classes class names in index order; empty for regression
 */
public record DataDescription(String path, long trainRows, long validationRows,
    long skippedRows, List<String> featureNames, List<String> classes) {

  public DataDescription {
    featureNames = List.copyOf(featureNames);
    classes = List.copyOf(classes);
  }

  /** {@code data.json}: this description, the decision, and the warm start's version if any. */
  public byte[] toJson(GateDecision decision, Optional<String> startedFrom) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("rows", trainRows + validationRows);
    m.put("trainRows", trainRows);
    m.put("validationRows", validationRows);
    m.put("skippedRows", skippedRows);
    m.put("features", featureNames.size());
    m.put("featureNames", featureNames);
    m.put("classes", classes);
    m.put("startedFrom", startedFrom.orElse("none (cold start)"));
    m.put("gate", decision.toMap());
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write data.json: " + e.getMessage(), e);
    }
  }
}
