package io.sparkps.driver.cli;

import io.sparkps.core.io.ModelHeader;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.data.SparkDataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that data with named columns (a CSV header, Parquet) holds the features a model was
 * trained on, in the same order, and names what is missing or extra when it does not. Models
 * and data without recorded column names (LibSVM, no header, files from before the label
 * column was recorded) are read by position, as before.
 */
final class ModelColumns {
  private static final int SHOWN = 8;

  private ModelColumns() {
  }

  /** The check of a source's header against {@code model}, for the loader to run first. */
  static SparkDataLoader.HeaderCheck of(ModelHeader model, String where) {
    return (features, label) -> check(model, features, label, where);
  }

  /** Fails, naming the missing and extra columns, when {@code ds} is not the model's input. */
  static void check(ModelHeader model, SparkDataset ds, String where) {
    ds.labelColumn().ifPresent(label -> check(model, ds.featureNames(), label, where));
  }

  private static void check(ModelHeader model, List<String> got, String label, String where) {
    if (model.labelColumnName().isEmpty() || model.featureHashing().isPresent()
        || model.featureNames().equals(got)) {
      return;
    }
    List<String> expected = model.featureNames();
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(got);
    List<String> extra = new ArrayList<>(got);
    extra.removeAll(expected);
    String what;
    if (missing.isEmpty() && extra.isEmpty()) {
      what = "it has them in another order, " + shown(got) + " where the model reads "
          + shown(expected);
    } else {
      what = (missing.isEmpty() ? "" : missing.size() + " missing " + shown(missing))
          + (!missing.isEmpty() && !extra.isEmpty() ? ", " : "")
          + (extra.isEmpty() ? "" : extra.size() + " extra " + shown(extra));
    }
    String modelLabel = model.labelColumnName().get();
    throw new IllegalArgumentException(where + " does not hold the model's " + expected.size()
        + " feature columns (it has " + got.size() + "): " + what + " (label column '" + label
        + "'"
        + (label.equals(modelLabel) ? "" : ", the model's was '" + modelLabel + "'")
        + "); give the data the training header, or --label if the label column has "
        + "another name");
  }

  private static String shown(List<String> names) {
    return names.size() <= SHOWN ? names.toString()
        : "[" + String.join(", ", names.subList(0, SHOWN)) + ", ... and "
            + (names.size() - SHOWN) + " more]";
  }
}
