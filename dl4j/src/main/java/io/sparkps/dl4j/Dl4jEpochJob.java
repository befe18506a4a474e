package io.sparkps.dl4j;

import io.sparkps.core.train.EpochPlan;
import io.sparkps.ps.client.ServerAccess;
import java.io.Serializable;

/**
 * Everything a worker task needs for one epoch of a DL4J network, shipped with the barrier stage.
 *
 * @param configJson the network's configuration in DL4J's JSON (the parameters come from the
 *     server)
 * @param localSteps 0 when workers push the mean gradient of one minibatch per round (the server
 *     applies the optimizer); {@code K >= 1} when they take {@code K} steps of DL4J's own updater
 *     and push the delta of parameters and updater state
 * @param plan rounds and minibatches of the epoch (SparkPS's {@link EpochPlan})
 * @param epoch 1-based epoch number of this run (seeds the shuffle)
 * @param dl4jEpoch the network's own epoch counter during this epoch (its schedules read it)
 * @param firstRound the server's version at the start of the epoch
 * @param iterationsBefore DL4J iterations counted before this epoch (local steps number theirs
 *     from it, so Adam's bias correction and schedules run on as in one JVM)
 * @param seed the shuffle seed
 * @param shuffle whether each epoch visits a partition's examples in a new seeded order
 * @param server how to reach the parameter server
 * @param pullDeadlineSeconds how long a pull may wait for the slowest worker
 * @param synchronous whether rounds are bulk synchronous
 */
public record Dl4jEpochJob(String configJson, int localSteps, EpochPlan plan, int epoch,
    int dl4jEpoch, long firstRound, long iterationsBefore, long seed, boolean shuffle,
    ServerAccess server, long pullDeadlineSeconds, boolean synchronous) implements Serializable {

  public Dl4jEpochJob {
    if (localSteps < 0) {
      throw new IllegalArgumentException("localSteps must be 0 (push gradients) or at least 1, "
          + "got " + localSteps);
    }
    if ((localSteps == 0 ? 1 : localSteps) != plan.localSteps()) {
      throw new IllegalArgumentException("the epoch's plan has " + plan.localSteps()
          + " local steps per round but the job " + localSteps);
    }
  }

  /** Whether workers push gradients (the server applies the optimizer). */
  public boolean pushesGradients() {
    return localSteps == 0;
  }
}
