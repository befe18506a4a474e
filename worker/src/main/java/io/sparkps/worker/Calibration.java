package io.sparkps.worker;

import io.sparkps.core.compute.ComputeBackends;
import io.sparkps.core.data.Block;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.Objective;
import io.sparkps.core.optim.OptimizerState;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerClient;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The measurements behind {@code --local-steps auto}, taken where the training runs, before the
 * first round: one barrier stage whose tasks each time local steps (gradient and optimizer step)
 * on minibatches of their own cached block, with the epoch's backend, for at least
 * {@value #MIN_STEPS} steps and until the time per step stops falling, or until
 * {@link #BUDGET_MILLIS} passes; then pulls the job's
 * parameters from the server a few times while the other workers do the same. The parameters
 * trained are a scratch copy: nothing reaches the server.
 *
 * <p>The steps double as the kernels' JIT warm-up, which the first epoch would otherwise pay in
 * its first rounds: measured here, a logistic step with the Vector API takes about 2 ms
 * interpreted, 0.3 ms after C1 and 0.04 ms after C2, which it reaches after about 750 steps
 * (0.7 s); a 28-64-64-1 perceptron step of 128 rows reaches 0.2 ms after about 400 steps
 * (0.9 s). Time-based stability alone stops on the C1 plateau, hence the minimum of steps. The
 * slow early steps cost what they would have cost in the first epoch; only their progress is
 * lost (about 1000 warm steps: some tens of milliseconds for logistic regression, about 0.2 s
 * for the perceptron). The first calls of the Vector API also pay its one-time set-up: on a
 * machine at load 20 the perceptron's first steps took 325 ms each and 5 s covered 15 of them,
 * so a budget that long only delays the first round; the steps that did not settle leave the
 * choice to the staleness bound ({@link Measure#settled}).
 */
public final class Calibration {
  /**
   * The most a task spends on the steps. Only models whose step could change the choice are
   * measured ({@code LocalSteps.unmeasured} decides the others without this stage), such as the
   * perceptron, whose 128-row step settles after about 1000 steps, 0.9 s on an idle core: a
   * budget of 1 s would leave it unsettled on any shared machine (and its K to the bound).
   */
  public static final long BUDGET_MILLIS = 3000;
  /** Steps timed at least (unless the budget runs out first). */
  public static final int MIN_STEPS = 1000;
  private static final int WINDOW = 64;
  private static final int PULLS = 12;

  private Calibration() {
  }

  /**
   * What one worker measured.
   *
   * @param partition the Spark partition
   * @param minibatchSeconds median time of a local step over the last window
   * @param steps local steps timed
   * @param pullSeconds median time of a pull of the whole parameter vector, later half
   */
  public record Measure(int partition, double minibatchSeconds, int steps, double pullSeconds)
      implements Serializable {

    /**
     * Whether the steps settled: at least {@link #MIN_STEPS} of them ran within the budget (else
     * the JIT compiler had not caught up, as on a heavily loaded machine, and the time per step
     * says little about training's).
     */
    public boolean settled() {
      return steps >= MIN_STEPS;
    }
  }

  /**
   * Runs the stage. {@code job} names the model, the settings (batch size, optimizer, seed), the
   * backend and the server; its job must be initialized there.
   */
  public static List<Measure> run(JavaRDD<Block> blocks, EpochJob job) {
    ClassTag<Measure> tag = ClassTag$.MODULE$.apply(Measure.class);
    return JavaRDD.fromRDD(blocks.rdd().barrier().mapPartitions(new Task(job), false, tag), tag)
        .collect();
  }

  /** Times local steps on {@code block} until they stop getting faster. */
  static double[] stepSeconds(EpochJob job, Block block) {
    Model model = job.spec().build(ComputeBackends.byName(job.backend()));
    int b = Math.max(1, Math.min(job.config().batchSize(), block.rows()));
    float[] params = new float[model.parameterCount()];
    model.initialize(params, job.config().seed());
    float[] grad = new float[params.length];
    Objective objective = new Objective(model, job.config().regularizer());
    Model.Workspace ws = model.newWorkspace(b);
    OptimizerState state = job.config().optimizer().newState(params.length);
    double[] times = new double[1 << 16];
    int n = 0;
    long end = System.nanoTime() + BUDGET_MILLIS * 1_000_000;
    int batches = Math.max(1, block.rows() / b);
    while (n < times.length && System.nanoTime() < end && !(n >= MIN_STEPS && n % WINDOW == 0
        && median(times, n - WINDOW, n) >= 0.9 * median(times, n - 2 * WINDOW, n - WINDOW))) {
      int from = (n % batches) * b;
      long t0 = System.nanoTime();
      objective.valueAndGradient(params, block, from, from + b, grad, ws);
      job.config().optimizer().step(params, grad, state, n + 1);
      times[n++] = (System.nanoTime() - t0) / 1e9;
    }
    return new double[] {median(times, Math.max(0, n - WINDOW), n), n};
  }

  static double median(double[] t, int from, int to) {
    if (to <= from) {
      return 0;
    }
    double[] part = Arrays.copyOfRange(t, from, to);
    Arrays.sort(part);
    return part[part.length / 2];
  }

  /** The task body: time the steps, then the pulls. */
  static final class Task extends AbstractFunction1<Iterator<Block>, Iterator<Measure>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final EpochJob job;

    Task(EpochJob job) {
      this.job = job;
    }

    @Override
    public Iterator<Measure> apply(Iterator<Block> it) {
      int partition = org.apache.spark.BarrierTaskContext.get().partitionId();
      Block block = it.next();
      double[] steps = stepSeconds(job, block);
      double[] pulls = new double[PULLS];
      ClientConfig cc = job.server().clientConfig()
          .withPullDeadline(Duration.ofSeconds(job.pullDeadlineSeconds()))
          .withName("calibration-" + partition);
      try (ParameterServerClient client = ParameterServerClient.connect(cc)) {
        for (int i = 0; i < PULLS; i++) {
          long t0 = System.nanoTime();
          client.pullVersioned(0);
          pulls[i] = (System.nanoTime() - t0) / 1e9;
        }
      }
      Measure m = new Measure(partition, steps[0], (int) steps[1],
          median(pulls, PULLS / 2, PULLS));
      return JavaConverters.asScalaIterator(List.of(m).iterator());
    }
  }
}
