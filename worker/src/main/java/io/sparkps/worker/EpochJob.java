package io.sparkps.worker;

import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.TrainingConfig;
import java.io.Serializable;
import io.sparkps.ps.client.ServerAccess;

/**
 * Everything a worker task needs for one epoch, shipped with the barrier stage: the model, the
 * algorithm settings, the epoch's plan, where the rounds of this epoch start, and how to reach
 * the parameter server.
 *
 * @param spec the model
 * @param config the algorithm settings
 * @param plan rounds and minibatches of the epoch
 * @param epoch 1-based epoch number (seeds the shuffle)
 * @param firstRound the global number of the epoch's first round
 * @param server how to reach the parameter server: addresses, the worker credential, the job id
 *     and the certificate to pin (its toString hides the credential)
 * @param pullDeadlineSeconds how long a pull may wait for the slowest worker
 * @param synchronous whether rounds are bulk synchronous (a retried task may then skip rounds
 *     the server has completed)
 * @param backend the compute backend's name ({@code auto}, {@code cpu}, {@code vector} or a
 *     plug-in's)
 * @param fromRound the first round (0-based within the epoch) this stage runs: the epoch's part
 *     between two convergence checks
 * @param toRound one past the last round this stage runs
 * @param keyed the keyed job's layout when the servers hold the model as rows per key (a
 *     sparse model: workers pull and push only the keys they touch), or null for a dense job
 */
public record EpochJob(ModelSpec spec, TrainingConfig config, EpochPlan plan, int epoch,
    long firstRound, ServerAccess server, long pullDeadlineSeconds, boolean synchronous,
    String backend, int fromRound, int toRound, KeyedLayout keyed) implements Serializable {

  /**
   * How workers reach a keyed job: the sharding seed the driver declared (the row width and
   * tail length follow from the sparse model).
   *
   * @param shardingSeed the keyed job's {@code KeyedJobSpec.shardingSeed}
   */
  public record KeyedLayout(long shardingSeed) implements Serializable {
  }

  public EpochJob {
    if (fromRound < 0 || toRound > plan.rounds() || fromRound >= toRound) {
      throw new IllegalArgumentException("rounds [" + fromRound + ", " + toRound + ") are not a "
          + "part of an epoch of " + plan.rounds() + " rounds");
    }
  }

  /** Rounds {@code [fromRound, toRound)} of a dense job. */
  public EpochJob(ModelSpec spec, TrainingConfig config, EpochPlan plan, int epoch,
      long firstRound, ServerAccess server, long pullDeadlineSeconds, boolean synchronous,
      String backend, int fromRound, int toRound) {
    this(spec, config, plan, epoch, firstRound, server, pullDeadlineSeconds, synchronous,
        backend, fromRound, toRound, null);
  }

  /** The whole epoch in one stage. */
  public EpochJob(ModelSpec spec, TrainingConfig config, EpochPlan plan, int epoch,
      long firstRound, ServerAccess server, long pullDeadlineSeconds, boolean synchronous,
      String backend) {
    this(spec, config, plan, epoch, firstRound, server, pullDeadlineSeconds, synchronous,
        backend, 0, plan.rounds());
  }
}
