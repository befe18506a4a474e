package io.sparkps.driver.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkps.core.train.EpochStats;
import java.util.List;
import java.util.Map;

/**
 * What a training run reports in {@code metrics.json}: final metrics on the training and
 * validation rows (the keys of {@code evaluate --json}), the per-epoch history, and where the
 * time and bytes went.
 *
 * @param train metrics on the training rows
 * @param validation metrics on the validation rows (empty without validation)
 * @param history one entry per epoch
 * @param loadSeconds reading, validating and caching the data
 * @param trainSeconds from the first round to the last
 * @param rowsPerSecond training rows processed per second of {@code trainSeconds}
 * @param rounds parameter-server rounds run
 * @param bytesExchanged payload bytes pulled and pushed by all workers
 * @param trainRows rows trained on
 * @param validationRows rows held out
 * @param skippedRows bad rows skipped ({@code --bad-rows skip})
 * @param bestEpoch the epoch whose parameters were kept
 * @param stoppedEarly whether early stopping ended the run
 * @param workers training partitions
 * @param sync the synchronization mode
 * @param duplicatePushes pushes the server acknowledged and ignored (from retried tasks)
 * @param irregularRounds synchronous rounds whose counted pushes differ from the workers
 * @param stopReason why training stopped: convergence (with the best loss and its epoch) or the
 *     maximum of epochs
 * @param localSteps the local steps the run used (what {@code --local-steps auto} chose)
 * @param roundTimes the rounds' times, the waits for the slowest worker and the bytes per epoch
 *     ({@code sparkps report} draws them)
 */
public record RunReport(Map<String, Double> train, Map<String, Double> validation,
    List<EpochStats> history, double loadSeconds, double trainSeconds, double rowsPerSecond,
    long rounds, long bytesExchanged, long trainRows, long validationRows, long skippedRows,
    int bestEpoch, boolean stoppedEarly, int workers, String sync, long duplicatePushes,
    long irregularRounds, String stopReason, int localSteps, RoundTimes roundTimes) {

  /** The report of a finished run: the trainer's result, the data's counts, the settings. */
  public static RunReport of(Map<String, Double> train, Map<String, Double> validation,
      DistributedTrainer.Result r, io.sparkps.driver.data.SparkDataset ds,
      RuntimeSettings runtime) {
    long rows = r.history().stream().mapToLong(EpochStats::rows).sum();
    return new RunReport(train, validation, r.history(), ds.loadSeconds(), r.trainSeconds(),
        rows / r.trainSeconds(), r.rounds(), r.bytesExchanged(), ds.trainRows(),
        ds.validationRows(), ds.skippedRows(), r.bestEpoch(), r.stoppedEarly(), runtime.workers(),
        runtime.sync(), r.duplicatePushes(), r.irregularRounds(), r.stopReason(),
        r.localSteps(), r.roundTimes());
  }

  /** The final metrics as a model header keeps them: {@code train.accuracy}, ... */
  public Map<String, Double> headerMetrics() {
    Map<String, Double> m = new java.util.LinkedHashMap<>();
    train.forEach((k, v) -> m.put("train." + k, v));
    validation.forEach((k, v) -> m.put("validation." + k, v));
    return m;
  }

  /** The report as indented JSON (NaN written as a string, as JSON has no NaN). */
  public byte[] toJson() {
    try {
      // Jackson quotes NaN and infinities by default (QUOTE_NON_NUMERIC_NUMBERS).
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write metrics.json: " + e.getMessage(), e);
    }
  }
}
