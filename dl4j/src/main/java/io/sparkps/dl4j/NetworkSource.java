package io.sparkps.dl4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * Where the command line's network comes from: a DL4J configuration in JSON
 * ({@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration}, as their
 * {@code toJson()} writes it), or a Keras model file (HDF5, Sequential or functional) through
 * DL4J's Keras import, with its weights and its {@code compile()} loss and optimizer.
 */
public final class NetworkSource {
  private NetworkSource() {
  }

  /** The network of a DL4J JSON configuration file, initialized from its seed. */
  public static Dl4jNet fromConfigFile(Path json) {
    String text;
    try {
      text = Files.readString(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the network configuration " + json
          + ": " + e.getMessage(), e);
    }
    try {
      return Dl4jNet.fromJson(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(json + " is not a DL4J MultiLayerConfiguration or "
          + "ComputationGraphConfiguration in JSON (write one with conf.toJson()): "
          + e.getMessage(), e);
    }
  }

  /** The network of a Keras HDF5 file, with its weights and training configuration. */
  public static Dl4jNet fromKeras(Path h5) {
    if (!Files.isRegularFile(h5)) {
      throw new IllegalArgumentException("--keras " + h5 + ": no such file");
    }
    String p = h5.toString();
    try {
      try {
        return Dl4jNet.of(KerasModelImport.importKerasSequentialModelAndWeights(p, true));
      } catch (InvalidKerasConfigurationException e) {
        if (e.getMessage() == null || !e.getMessage().contains("Sequential")) {
          throw e;
        }
        return Dl4jNet.of(KerasModelImport.importKerasModelAndWeights(p, true));
      }
    } catch (IOException | InvalidKerasConfigurationException
        | UnsupportedKerasConfigurationException e) {
      throw new IllegalArgumentException("cannot import the Keras model " + h5 + ": "
          + e.getMessage() + " (SparkPS trains Keras files saved with model.save() after "
          + "compile(), which records the loss)", e);
    }
  }
}
