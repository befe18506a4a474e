package io.sparkps.core.data;

import java.util.List;

/**
 * Examples read into memory with what a model file needs to know about them.
 *
 * @param block features and encoded labels
 * @param featureNames one name per column of {@code block}
 * @param classes class names in index order; empty for regression
 */
public record Dataset(ExampleBlock block, List<String> featureNames, List<String> classes) {
  public Dataset {
    featureNames = List.copyOf(featureNames);
    classes = List.copyOf(classes);
    if (featureNames.size() != block.cols()) {
      throw new IllegalArgumentException(featureNames.size() + " feature names for "
          + block.cols() + " feature columns");
    }
  }
}
