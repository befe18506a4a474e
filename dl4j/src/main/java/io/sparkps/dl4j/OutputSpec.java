package io.sparkps.dl4j;

import io.sparkps.core.model.Task;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;

/**
 * What a network's output layer expects of the labels, read from its loss: class indices one-hot
 * over {@code outputs} columns (softmax cross-entropy or negative log-likelihood), one 0/1 column
 * (binary cross-entropy over one output), or {@code outputs} real values (any other loss, such as
 * mean squared error).
 *
 * @param task the task the labels are read for
 * @param outputs the output layer's width
 * @param loss the loss's name, for messages
 */
public record OutputSpec(Task task, int outputs, String loss) implements java.io.Serializable {

  /** The output of {@code net}'s (first) output layer. */
  public static OutputSpec of(Dl4jNet net) {
    org.deeplearning4j.nn.api.Layer out = net instanceof Dl4jNet.Layers l
        ? l.net().getOutputLayer() : ((Dl4jNet.Graph) net).net().getOutputLayer(0);
    org.deeplearning4j.nn.conf.layers.Layer conf = out.conf().getLayer();
    ILossFunction loss;
    int n;
    if (conf instanceof BaseOutputLayer o) {
      loss = o.getLossFn();
      n = (int) o.getNOut();
    } else if (conf instanceof LossLayer l) {
      // Keras import ends a model with a loss layer after its last Dense layer
      loss = l.getLossFn();
      n = width(net);
    } else {
      throw new IllegalArgumentException("the network's last layer (" + conf.getClass()
          .getSimpleName() + ") is not an output layer with a loss; end it with an "
          + "OutputLayer (a Keras model needs its compile() training configuration in the file)");
    }
    String name = loss.getClass().getSimpleName();
    if (loss instanceof LossMCXENT || loss instanceof LossNegativeLogLikelihood) {
      return new OutputSpec(Task.MULTICLASS, n, name);
    }
    if (loss instanceof LossBinaryXENT) {
      if (n != 1) {
        throw new IllegalArgumentException("the output layer has binary cross-entropy over " + n
            + " outputs (multi-label), which SparkPS's label columns cannot fill; use one "
            + "sigmoid output for two classes or softmax with " + name + " for several");
      }
      return new OutputSpec(Task.BINARY, 1, name);
    }
    return new OutputSpec(Task.REGRESSION, n, name);
  }

  /** The output width of the last layer that has one (before a loss layer). */
  private static int width(Dl4jNet net) {
    org.deeplearning4j.nn.api.Layer[] layers = net.layers();
    for (int i = layers.length - 1; i >= 0; i--) {
      if (layers[i].conf().getLayer() instanceof FeedForwardLayer f && f.getNOut() > 0) {
        return (int) f.getNOut();
      }
    }
    throw new IllegalArgumentException("cannot tell the network's output width: no layer "
        + "before its loss layer declares nOut");
  }

  /**
   * Checks the data's classes (empty for regression) against the output layer; the message
   * names {@code source} (the data file) and the fix.
   */
  public void check(List<String> classes, int features, String source) {
    if (task == Task.MULTICLASS && classes.size() != outputs) {
      throw new IllegalArgumentException("the network's output layer has " + outputs
          + " outputs (" + loss + ") but the labels of " + source + " have " + classes.size()
          + " classes " + abbreviate(classes) + "; set the output layer's nOut to "
          + classes.size() + " or check --label");
    }
    if (task == Task.BINARY && classes.size() != 2) {
      throw new IllegalArgumentException("the network's output layer is one sigmoid output ("
          + loss + ") for two classes, but the labels of " + source + " have " + classes.size()
          + " classes " + abbreviate(classes) + "; use a softmax output layer with nOut "
          + classes.size());
    }
    if (task == Task.REGRESSION && outputs != 1) {
      throw new IllegalArgumentException("the network's output layer has " + outputs
          + " outputs with " + loss + ", but " + source + " has one label column; set nOut to 1");
    }
    if (features < 1) {
      throw new IllegalArgumentException(source + " has no feature columns");
    }
  }

  private static String abbreviate(List<String> classes) {
    return classes.size() <= 10 ? classes.toString()
        : classes.subList(0, 10).toString().replace("]", ", ...]");
  }

  /** Label columns per example. */
  public int labelColumns() {
    return task == Task.MULTICLASS ? outputs : 1;
  }
}
