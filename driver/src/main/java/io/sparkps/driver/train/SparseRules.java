package io.sparkps.driver.train;

import io.sparkps.core.optim.AdaGrad;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.optim.Optimizer;
import io.sparkps.ps.keyed.Ftrl;
import io.sparkps.ps.keyed.LazyAdam;
import io.sparkps.ps.keyed.SparseAdaGrad;
import io.sparkps.ps.keyed.SparseOptimizer;

/**
 * The servers' per-key rule of a keyed job, from the job's optimizer: AdaGrad steps each pushed
 * key as dense AdaGrad steps it (an untouched key's dense step is zero), Adam becomes lazy Adam
 * (Kingma and Ba, ICLR 2015, with each key's own step count, as TensorFlow's LazyAdam), FTRL
 * becomes the servers' FTRL-Proximal (McMahan et al., KDD 2013) with its own L1 and L2 (the
 * job's --l1 and --l2: the workers' regularizer is then 0), whose exact zeros are not stored
 * nor written to the model. Other
 * rules are refused: SGD with momentum, Nesterov, RMSProp and AdamW keep state that decays on
 * every step for every key, which a table that touches only the keys pushed cannot match, and
 * plain SGD is better served by AdaGrad's per-key rates on sparse data. The regularizer stays on
 * the workers (lazy, on the touched keys), so AdaGrad's and Adam's own L2 is 0. A schedule's base rate is
 * the rule's rate: per-key rules have no global step.
 */
final class SparseRules {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      SparseRules.class);

  private SparseRules() {
  }

  static SparseOptimizer of(Optimizer optimizer) {
    LearningRateSchedule s = optimizer.schedule();
    if (!(s instanceof LearningRateSchedule.Constant)) {
      LOG.warn("the keyed job's per-key rule uses the schedule's base rate " + s.baseRate()
          + " at every step (a per-key rule has no global step to schedule by)");
    }
    if (optimizer instanceof AdaGrad a) {
      return new SparseAdaGrad(s.baseRate(), 0, a.epsilon());
    }
    if (optimizer instanceof Adam a) {
      return new LazyAdam(s.baseRate(), a.beta1(), a.beta2(), a.epsilon(), 0);
    }
    if (optimizer instanceof io.sparkps.core.optim.Ftrl f) {
      return new Ftrl(s.baseRate(), f.beta(), f.l1(), f.l2());
    }
    throw new IllegalArgumentException("a keyed job steps each key on the servers with adagrad, "
        + "adam (lazy Adam) or ftrl, got the optimizer " + optimizer.getClass().getSimpleName()
        + "; train a sparse model with --optimizer adagrad, adam or ftrl, or with the dense "
        + "layout (--ps-layout dense) to keep this optimizer.");
  }
}
