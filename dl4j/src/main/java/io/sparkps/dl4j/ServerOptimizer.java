package io.sparkps.dl4j;

import io.sparkps.core.optim.AdaGrad;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.optim.Nesterov;
import io.sparkps.core.optim.Optimizer;
import io.sparkps.core.optim.RmsProp;
import io.sparkps.core.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The update rule the parameter server applies when workers push gradients (one local step),
 * read from the network's DL4J updater: the server owns the optimizer and its state, so DL4J's
 * updater never runs in that mode, and what DL4J would do beyond the rule itself must not be
 * configured. DL4J's {@code Sgd}, {@code Adam}, {@code Nesterovs}, {@code AdaGrad} and
 * {@code RmsProp} with constant learning rates become SparkPS's records of the same names (for
 * SGD the step is the same float arithmetic; the others keep their formulas, with epsilon
 * placed as SparkPS places it). Every layer must use the same rule for weights and biases, and
 * no layer may use regularization or gradient normalization (they live in DL4J's updater):
 * train such networks with local steps, where DL4J's own updater runs on the workers.
 */
final class ServerOptimizer {
  private ServerOptimizer() {
  }

  /** The server-side rule equivalent to {@code net}'s updater, or an error saying what to do. */
  static Optimizer of(Dl4jNet net) {
    List<IUpdater> rules = new ArrayList<>();
    for (Layer layer : net.layers()) {
      if (!(layer.conf().getLayer() instanceof BaseLayer b) || layer.numParams() == 0) {
        continue;
      }
      String name = b.getLayerName() == null ? layer.getClass().getSimpleName() : b.getLayerName();
      if (!b.getRegularization().isEmpty() || !b.getRegularizationBias().isEmpty()) {
        throw unsupported("layer " + name + " uses regularization " + b.getRegularization());
      }
      if (b.getGradientNormalization() != null
          && b.getGradientNormalization() != GradientNormalization.None) {
        throw unsupported("layer " + name + " uses gradient normalization "
            + b.getGradientNormalization());
      }
      rules.add(b.getIUpdater());
      if (b.getBiasUpdater() != null) {
        rules.add(b.getBiasUpdater());
      }
    }
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("the network has no trainable layer");
    }
    IUpdater first = rules.get(0);
    for (IUpdater u : rules) {
      if (!u.equals(first)) {
        throw unsupported("its layers use different updaters (" + first + " and " + u + ")");
      }
    }
    return translate(first);
  }

  static Optimizer translate(IUpdater u) {
    if (u.getClass().getSimpleName().equals("Sgd")
        && u instanceof org.nd4j.linalg.learning.config.Sgd s) {
      return Sgd.of(rate(s.getLearningRate(), s.getLearningRateSchedule(), u));
    }
    if (u instanceof org.nd4j.linalg.learning.config.Adam a
        && a.getClass() == org.nd4j.linalg.learning.config.Adam.class) {
      return new Adam(constant(a.getLearningRate(), a.getLearningRateSchedule(), u), a.getBeta1(),
          a.getBeta2(), a.getEpsilon());
    }
    if (u instanceof org.nd4j.linalg.learning.config.Nesterovs n
        && n.getMomentumISchedule() == null) {
      return new Nesterov(constant(n.getLearningRate(), n.getLearningRateSchedule(), u),
          n.getMomentum());
    }
    if (u instanceof org.nd4j.linalg.learning.config.AdaGrad g) {
      return new AdaGrad(constant(g.getLearningRate(), g.getLearningRateSchedule(), u),
          g.getEpsilon());
    }
    if (u instanceof org.nd4j.linalg.learning.config.RmsProp r) {
      return new RmsProp(constant(r.getLearningRate(), r.getLearningRateSchedule(), u),
          r.getRmsDecay(), r.getEpsilon());
    }
    throw unsupported("its updater " + u + " has no server-side equivalent (SparkPS has Sgd, "
        + "Adam, Nesterovs, AdaGrad and RmsProp with constant learning rates)");
  }

  private static double rate(double lr, Object schedule, IUpdater u) {
    if (schedule != null) {
      throw unsupported("its updater " + u + " has a learning-rate schedule");
    }
    return lr;
  }

  private static LearningRateSchedule constant(double lr, Object schedule, IUpdater u) {
    return new LearningRateSchedule.Constant(rate(lr, schedule, u));
  }

  private static IllegalArgumentException unsupported(String why) {
    return new IllegalArgumentException("the parameter server cannot apply this network's "
        + "updates when workers push gradients: " + why + ". Train it with local steps "
        + "(SparkPsTrainingMaster.Builder.localSteps(k) or averagingFrequency(k); --local-steps k "
        + "on the command line), where DL4J's own updater runs on the workers, or set the "
        + "server's optimizer explicitly with Builder.optimizer(...).");
  }
}
