package io.sparkps.core.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sparkps.core.data.FeatureHashing;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.DenseSpec;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
import io.sparkps.core.train.TrainingConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The header of a model directory, stored as {@code model.json}: everything about a model except
 * its parameters. See the package documentation for the on-disk layout. Validated when built:
 * there is one feature name per input, one label per class (none for regression), and the
 * standardizer covers every input.
 *
 * @param formatVersion version of the model file format, {@value #CURRENT_FORMAT_VERSION} for
 *     files this code writes
 * @param sparkpsVersion version of SparkPS that wrote the file
 * @param createdAt when the file was written, an ISO-8601 instant such as
 *     {@code 2026-01-31T12:00:00Z}
 * @param spec the model to rebuild
 * @param featureNames input feature names in column order
 * @param labels class names in class-index order; empty for regression
 * @param standardization the standardization applied to features before the model
 * @param training the algorithm settings the model was trained with
 * @param metrics evaluation metrics by name (see {@link io.sparkps.core.metrics})
 * @param parameterCount number of floats in {@code params.bin}
 * @param checksum CRC32C of the bytes of {@code params.bin}, 8 lowercase hex digits;
 *     {@link ModelFile#write} fills it in
 * @param hashing how raw delimited rows became the model's sparse inputs; absent ({@code null},
 *     left out of the JSON) when the features were not hashed
 * @param labelColumn the name of the label column in the training data, so that evaluating,
 *     predicting and retraining on data with the training header need no {@code --label};
 *     absent ({@code null}, left out of the JSON) when the data had no named label column
 *     (LibSVM, no header) and in files written before SparkPS recorded it
 */
public record ModelHeader(int formatVersion, String sparkpsVersion, String createdAt,
    ModelSpec spec, List<String> featureNames, List<String> labels, Standardizer standardization,
    TrainingConfig training, Map<String, Double> metrics, int parameterCount, String checksum,
    @JsonInclude(JsonInclude.Include.NON_NULL) FeatureHashing hashing,
    @JsonInclude(JsonInclude.Include.NON_NULL) String labelColumn) {

  /**
   * The format version this code writes. Version 2 types the model spec in JSON
   * ({@code "type": "dense"}, ...); version 1 files (dense models only) still load.
   */
  public static final int CURRENT_FORMAT_VERSION = 2;

  public ModelHeader {
    Objects.requireNonNull(sparkpsVersion, "sparkpsVersion is missing from the model header");
    Objects.requireNonNull(createdAt, "createdAt is missing from the model header");
    Objects.requireNonNull(spec, "spec is missing from the model header");
    Objects.requireNonNull(standardization, "standardization is missing from the model header");
    Objects.requireNonNull(training, "training is missing from the model header");
    Objects.requireNonNull(checksum, "checksum is missing from the model header");
    featureNames = List.copyOf(Objects.requireNonNull(featureNames,
        "featureNames is missing from the model header"));
    labels = List.copyOf(Objects.requireNonNull(labels, "labels is missing from the model header"));
    metrics = copyMetrics(Objects.requireNonNull(metrics,
        "metrics is missing from the model header"));
    checkCreatedAt(createdAt);
    checkAgainstSpec(spec, featureNames, labels, standardization);
    checkHashing(spec, featureNames, hashing);
    if (parameterCount < 0) {
      throw new IllegalArgumentException("parameterCount must be at least 0, got " + parameterCount);
    }
  }

  /**
   * A header for a model about to be written: the current format and SparkPS version, created
   * now, the parameter count of {@code spec}, and an empty checksum that {@link ModelFile#write}
   * fills in.
   */
  public static ModelHeader of(ModelSpec spec, List<String> featureNames, List<String> labels,
      Standardizer standardization, TrainingConfig training, Map<String, Double> metrics) {
    return of(spec, featureNames, labels, standardization, training, metrics,
        Optional.empty());
  }

  /** As {@link #of(ModelSpec, List, List, Standardizer, TrainingConfig, Map)}, with hashing. */
  public static ModelHeader of(ModelSpec spec, List<String> featureNames, List<String> labels,
      Standardizer standardization, TrainingConfig training, Map<String, Double> metrics,
      Optional<FeatureHashing> hashing) {
    return new ModelHeader(CURRENT_FORMAT_VERSION, currentSparkpsVersion(),
        Instant.now().toString(), spec, featureNames, labels, standardization, training, metrics,
        spec.build().parameterCount(), "", hashing.orElse(null), null);
  }

  /** This header with the training data's label column name (empty: none recorded). */
  public ModelHeader withLabelColumn(Optional<String> name) {
    return new ModelHeader(formatVersion, sparkpsVersion, createdAt, spec, featureNames, labels,
        standardization, training, metrics, parameterCount, checksum, hashing,
        name.orElse(null));
  }

  /** The name of the training data's label column, when it was recorded. */
  public Optional<String> labelColumnName() {
    return Optional.ofNullable(labelColumn);
  }

  /** The hashing of the model's inputs, if they were hashed. */
  public Optional<FeatureHashing> featureHashing() {
    return Optional.ofNullable(hashing);
  }

  /** {@code f0, f1, ...}: names for data that comes without a header row. */
  public static List<String> defaultFeatureNames(int count) {
    return IntStream.range(0, count).mapToObj(j -> "f" + j).toList();
  }

  /**
   * The version in the jar manifest ({@code Implementation-Version}), or {@code development}
   * when running from classes that are not packaged.
   */
  public static String currentSparkpsVersion() {
    String v = ModelHeader.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /** This header with the payload fields set. */
  public ModelHeader withPayload(int parameterCount, String checksum) {
    return new ModelHeader(formatVersion, sparkpsVersion, createdAt, spec, featureNames, labels,
        standardization, training, metrics, parameterCount, checksum, hashing, labelColumn);
  }

  private static Map<String, Double> copyMetrics(Map<String, Double> metrics) {
    Map<String, Double> copy = new LinkedHashMap<>();
    metrics.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "a metric has no name"),
        Objects.requireNonNull(value, () -> "metric " + name + " has no value")));
    return Collections.unmodifiableMap(copy);
  }

  private static void checkCreatedAt(String createdAt) {
    try {
      Instant.parse(createdAt);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("createdAt must be an ISO-8601 instant such as "
          + "2026-01-31T12:00:00Z, got \"" + createdAt + "\"", e);
    }
  }

  private static void checkHashing(ModelSpec spec, List<String> featureNames,
      FeatureHashing hashing) {
    if (hashing == null) {
      return;
    }
    if (!hashing.columns().equals(featureNames)) {
      throw new IllegalArgumentException("the hashing reads columns " + hashing.columns()
          + " but the feature names are " + featureNames + "; they must be the same list");
    }
    if (hashing.buckets() != spec.inputs()) {
      throw new IllegalArgumentException("the hashing makes " + hashing.buckets() + " buckets "
          + "but the model has " + spec.inputs() + " inputs; train with the same --hash-bits");
    }
  }

  private static void checkAgainstSpec(ModelSpec spec, List<String> featureNames,
      List<String> labels, Standardizer standardization) {
    if (!(spec instanceof DenseSpec)) {
      if (standardization.features() != 0) {
        throw new IllegalArgumentException("a sparse model's inputs are not standardized, but "
            + "the header has a standardizer of " + standardization.features() + " features; "
            + "use Standardizer.identity(0)");
      }
      checkLabels(spec, labels);
      return;
    }
    if (featureNames.size() != spec.inputs()) {
      throw new IllegalArgumentException("the model has " + spec.inputs() + " inputs but "
          + featureNames.size() + " feature names were given; pass one name per input column");
    }
    if (standardization.features() != spec.inputs()) {
      throw new IllegalArgumentException("the model has " + spec.inputs() + " inputs but the "
          + "standardizer covers " + standardization.features() + " features; fit it on the "
          + "training features, or use Standardizer.identity(" + spec.inputs() + ")");
    }
    checkLabels(spec, labels);
  }

  private static void checkLabels(ModelSpec spec, List<String> labels) {
    Task task = spec.task();
    int classes = task == Task.REGRESSION ? 0 : task == Task.BINARY ? 2 : spec.outputs();
    if (labels.size() != classes) {
      throw new IllegalArgumentException("a " + task + " model needs " + classes
          + " class labels in class-index order, got " + labels.size() + " " + labels
          + (classes == 0 ? "; regression models have no class labels" : ""));
    }
  }
}
