package io.sparkps.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.data.Dataset;
import io.sparkps.core.data.LabelEncoder;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelFile;
import io.sparkps.core.metrics.ModelEvaluator;
import io.sparkps.core.model.Model;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparkps evaluate}: scores a saved model on labeled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Evaluates a saved model on labeled data: accuracy, log loss and AUC for "
        + "classifiers; RMSE, MAE and R^2 for regression."})
public final class EvaluateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "Model directory written by 'sparkps train --out'.")
  Path modelDir;

  @Mixin
  DataOptions data = new DataOptions();

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    LoadedModel loaded = ModelFile.read(modelDir);
    Model model = loaded.header().spec().build();
    Dataset ds = LocalData.read(data,
        LabelEncoder.forClasses(model.spec().task(), loaded.header().labels()));
    if (ds.block().cols() != model.inputs()) {
      throw new IllegalArgumentException("the model at " + modelDir + " expects "
          + model.inputs() + " features but the data has " + ds.block().cols()
          + "; evaluate on data with the training columns");
    }
    loaded.header().standardization().applyInPlace(ds.block());
    Map<String, Double> metrics = ModelEvaluator.evaluate(model, loaded.params(), ds.block());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(metrics));
    } else {
      metrics.forEach((k, v) -> out.printf("%-10s %.6f%n", k, v));
    }
    out.flush();
    return 0;
  }
}
