package io.sparkps.driver.cli;

import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.driver.data.SparkDataset;
import io.sparkps.driver.io.ModelLocation;
import io.sparkps.driver.report.HeldOutScores;
import io.sparkps.driver.report.ReportPage;
import io.sparkps.driver.report.RunMetrics;
import io.sparkps.driver.train.RunReport;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** {@code train --report}: the report page of a run that just ended, its validation rows held out. */
final class TrainingReport {
  private TrainingReport() {
  }

  static byte[] html(ModelLocation target, ModelHeader header, RunReport report,
      SparkDataset ds, ModelSpec spec, float[] params, Map<String, Double> validation) {
    RunMetrics run = RunMetrics.parse(report.toJson(), target + "/metrics.json");
    Optional<HeldOutScores> heldOut = ds.validationRows() == 0 ? Optional.empty()
        : Optional.of(HeldOutScores.score(ds.validation(), ds.validationRows(), spec, params,
            ds.classes(), validation));
    return ReportPage.render(target.toString(), header, run, heldOut,
        Optional.of("the validation rows (--validation)")).getBytes(StandardCharsets.UTF_8);
  }
}
