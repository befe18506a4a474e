package io.sparkps.core.train;

import io.sparkps.core.data.Dataset;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Shuffle;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Stratified k-fold cross-validation with standardization fitted on each training fold, as
 * scikit-learn's {@code StratifiedKFold} with a {@code StandardScaler} pipeline does.
 */
final class CrossValidation {
  private CrossValidation() {
  }

  /**
   * Mean accuracy of {@code repeats} rounds of k-fold cross-validation with fold seeds
   * {@code 1..repeats}: on a few hundred rows one fold split alone moves the mean by a point or
   * more, so a comparison with a reference within a point averages several splits.
   */
  static double repeatedAccuracy(Dataset data, int folds, int repeats, ModelSpec spec,
      IntFunction<TrainingConfig> config) {
    double sum = 0;
    for (int r = 1; r <= repeats; r++) {
      sum += accuracy(data, folds, r, spec, config);
    }
    return sum / repeats;
  }

  /** Mean held-out accuracy; {@code config} gets the training-fold size to scale penalties. */
  static double accuracy(Dataset data, int folds, long seed, ModelSpec spec,
      IntFunction<TrainingConfig> config) {
    int[] fold = stratifiedFolds(data.block(), folds, seed);
    double sum = 0;
    for (int f = 0; f < folds; f++) {
      List<Integer> tr = new ArrayList<>();
      List<Integer> te = new ArrayList<>();
      for (int i = 0; i < fold.length; i++) {
        (fold[i] == f ? te : tr).add(i);
      }
      ExampleBlock train = data.block().select(tr.stream().mapToInt(Integer::intValue).toArray());
      ExampleBlock test = data.block().select(te.stream().mapToInt(Integer::intValue).toArray());
      Standardizer s = Standardizer.fit(train);
      s.applyInPlace(train);
      s.applyInPlace(test);
      Model model = spec.build();
      float[] params = new ReferenceTrainer(model, config.apply(train.rows()))
          .fit(train, x -> { }).params();
      sum += accuracy(model, params, test);
    }
    return sum / folds;
  }

  static double accuracy(Model model, float[] params, ExampleBlock test) {
    int k = model.outputs();
    float[] p = new float[test.rows() * k];
    model.predict(params, test, 0, test.rows(), p, model.newWorkspace(test.rows()));
    int correct = 0;
    for (int i = 0; i < test.rows(); i++) {
      int pred;
      if (k == 1) {
        pred = p[i] >= 0.5f ? 1 : 0;
      } else {
        pred = 0;
        for (int j = 1; j < k; j++) {
          if (p[i * k + j] > p[i * k + pred]) {
            pred = j;
          }
        }
      }
      correct += pred == (int) test.labels()[i] ? 1 : 0;
    }
    return (double) correct / test.rows();
  }

  /** Each class's rows, shuffled with the seed, dealt to the folds in turn. */
  static int[] stratifiedFolds(ExampleBlock b, int folds, long seed) {
    int[] perm = Shuffle.permutation(b.rows(), seed);
    int[] fold = new int[b.rows()];
    java.util.Map<Integer, Integer> next = new java.util.HashMap<>();
    for (int i : perm) {
      int c = (int) b.labels()[i];
      int n = next.merge(c, 1, Integer::sum) - 1;
      fold[i] = n % folds;
    }
    return fold;
  }
}
