package io.sparkps.dl4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkps.core.model.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A trained DL4J network as SparkPS stores it: a directory holding DL4J's own model zip
 * ({@value #MODEL_ZIP}, written by {@link ModelSerializer} with its updater, so
 * {@code ModelSerializer.restoreMultiLayerNetwork} or {@code restoreComputationGraph} loads it
 * anywhere) beside SparkPS's metadata ({@value #METADATA}: the network kind, the task, the
 * classes in index order and the feature columns, which {@code evaluate} and {@code predict}
 * encode new data with) and any report files (metrics.json). Written atomically: a temporary
 * sibling directory is filled, then renamed into place, so a crash leaves the last good model.
 */
public final class Dl4jModelDir {
  /** DL4J's model zip inside the directory. */
  public static final String MODEL_ZIP = "dl4j-model.zip";
  /** SparkPS's metadata inside the directory. */
  public static final String METADATA = "sparkps-dl4j.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What SparkPS records beside the network.
   *
   * @param kind {@code MultiLayerNetwork} or {@code ComputationGraph}
   * @param task regression, binary or multiclass
   * @param classes class names in index order (empty for regression)
   * @param featureNames the feature columns in order
   * @param metrics training and validation metrics of the run that wrote it
   */
  public record Metadata(String kind, Task task, List<String> classes, List<String> featureNames,
      Map<String, Double> metrics) {
  }

  /** A model read back. */
  public record Loaded(Dl4jNet net, Metadata metadata) {
  }

  private Dl4jModelDir() {
  }

  /** Whether {@code dir} holds a DL4J model written by SparkPS. */
  public static boolean isModel(Path dir) {
    return Files.isRegularFile(dir.resolve(MODEL_ZIP)) && Files.isRegularFile(dir.resolve(METADATA));
  }

  /** Writes the model directory at {@code target}; replaces an existing one only if told to. */
  public static void write(Path target, Dl4jNet net, Metadata meta, Map<String, String> extra,
      boolean replace) throws IOException {
    Path abs = target.toAbsolutePath();
    if (Files.exists(abs) && !replace) {
      throw new IllegalArgumentException(target + " already exists; pass --overwrite to replace "
          + "it or choose another --out");
    }
    Files.createDirectories(abs.getParent());
    Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp-");
    try {
      ModelSerializer.writeModel(net.network(), tmp.resolve(MODEL_ZIP).toFile(), true);
      Files.writeString(tmp.resolve(METADATA), JSON.writeValueAsString(meta));
      for (Map.Entry<String, String> e : extra.entrySet()) {
        Files.writeString(tmp.resolve(e.getKey()), e.getValue());
      }
      if (Files.exists(abs)) {
        Path old = abs.resolveSibling("." + abs.getFileName() + ".old-" + System.nanoTime());
        Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
      } else {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      deleteTree(tmp);
    }
  }

  /** Reads the model directory at {@code dir}. */
  public static Loaded read(Path dir) throws IOException {
    if (!isModel(dir)) {
      throw new IllegalArgumentException(dir + " is not a DL4J model written by sparkps train "
          + "--model dl4j (it needs " + MODEL_ZIP + " and " + METADATA + ")");
    }
    Metadata meta = JSON.readValue(dir.resolve(METADATA).toFile(), Metadata.class);
    java.io.File zip = dir.resolve(MODEL_ZIP).toFile();
    Dl4jNet net = meta.kind().equals("ComputationGraph")
        ? Dl4jNet.of(ModelSerializer.restoreComputationGraph(zip, true))
        : Dl4jNet.of(ModelSerializer.restoreMultiLayerNetwork(zip, true));
    return new Loaded(net, meta);
  }

  /** The kind to record for {@code net}. */
  public static String kind(Dl4jNet net) {
    return net.network() instanceof ComputationGraph ? "ComputationGraph"
        : net.network() instanceof MultiLayerNetwork ? "MultiLayerNetwork" : "unknown";
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
