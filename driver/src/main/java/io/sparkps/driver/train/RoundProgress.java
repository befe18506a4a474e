package io.sparkps.driver.train;

/**
 * Receives the progress of an epoch while its barrier stage runs: the driver polls the
 * parameter server's version (the only clock of the rounds) and reports it here.
 */
public interface RoundProgress {

  /** Called about twice a second: {@code done} of {@code total} rounds of {@code epoch}. */
  void onRounds(int epoch, int epochs, long done, long total, double elapsedSeconds);

  /** Reports nothing. */
  RoundProgress NONE = (epoch, epochs, done, total, elapsed) -> { };
}
