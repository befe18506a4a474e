package io.sparkps.worker;

import io.sparkps.core.data.Block;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The Spark glue of an epoch: one barrier stage whose tasks each run an {@link EpochTask} on
 * their partition. Barrier mode starts all tasks together (a bulk-synchronous round needs every
 * partition). Rounds are paced by the parameter server, never by {@code
 * BarrierTaskContext.barrier()}, which costs about a second per call.
 *
 * <p>The stage is the job's only stage, a result stage: Spark aborts a job whose barrier result
 * stage fails, so this class runs the epoch again itself, as Spark reruns a failed barrier
 * shuffle-map stage whole, up to {@code spark.stage.maxConsecutiveAttempts} (4) attempts in all.
 * An attempt's tasks skip the rounds the server has already completed and the server ignores
 * pushes it has already counted, so nothing counts twice. (One stage, not a barrier shuffle-map
 * stage feeding a one-partition result stage: each Spark stage costs a few tens of
 * milliseconds, a good share of a short epoch.)
 */
public final class BarrierEpoch {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierEpoch.class);
  /** What Spark says when a barrier result stage fails (Spark 3.5's DAGScheduler). */
  static final String FAILED_BARRIER_STAGE = "Could not recover from a failed barrier ResultStage";

  private BarrierEpoch() {
  }

  /**
   * An RDD of dense or sparse blocks seen as blocks: RDDs are read-only, so the view is safe and
   * costs no stage (a map would).
   */
  @SuppressWarnings("unchecked")
  public static JavaRDD<Block> widen(JavaRDD<? extends Block> blocks) {
    return (JavaRDD<Block>) blocks;
  }

  /** Runs one epoch over the cached blocks and returns each partition's report. */
  public static List<EpochReport> run(JavaRDD<? extends Block> blocks, EpochJob job) {
    return run(blocks, job, () -> { });
  }

  /**
   * As {@link #run(JavaRDD, EpochJob)}, running {@code whileStarting} on the calling thread once
   * the first attempt is submitted, while Spark launches its tasks (some tens of milliseconds):
   * the driver initializes the parameter server there, since a task's first pull waits for the
   * job to exist. If {@code whileStarting} throws, the attempt is cancelled and the exception
   * propagates.
   */
  public static List<EpochReport> run(JavaRDD<? extends Block> given, EpochJob job,
      Runnable whileStarting) {
    return run(widen(given), job.epoch(), EpochReport.class,
        (partition, attempt, it) -> new EpochTask(job).run(partition, attempt, it),
        whileStarting);
  }

  /**
   * As {@link #run(JavaRDD, EpochJob, Runnable)}, each task then also scoring the parameters the
   * stage ended with on its partition's block of {@code validation} ({@link
   * EpochTask#runScored}; with {@code withMetrics} its metrics too): the driver's convergence
   * check and the epoch's metrics need no Spark job of their own. The two RDDs must have the same
   * partitions (the validation block of partition {@code i} belongs to the workers of training
   * partition {@code i}); a partition without a validation block scores none of its rows. Only
   * for a dense synchronous job, whose tasks all end with the server's parameters.
   */
  public static List<EpochTask.Scored> runScored(JavaRDD<? extends Block> train,
      JavaRDD<? extends Block> validation, EpochJob job, boolean withMetrics,
      Runnable whileStarting) {
    if (train.getNumPartitions() != validation.getNumPartitions()) {
      throw new IllegalArgumentException("the validation data has " + validation
          .getNumPartitions() + " partitions but the training data has " + train
          .getNumPartitions() + "; scoring in the stage needs the same partitions (score with "
          + "a separate job instead)");
    }
    JavaRDD<Blocks> pairs = widen(train).zipPartitions(widen(validation), (t, v) ->
        List.of(new Blocks(t, v)).iterator());
    return run(pairs, job.epoch(), EpochTask.Scored.class, (partition, attempt, it) -> {
      Blocks blocks = it.next();
      if (!blocks.validation().hasNext()) {
        throw new IllegalStateException("partition " + partition + " holds no validation block; "
            + "the driver caches exactly one block per partition, of 0 rows where none are held "
            + "out");
      }
      return new EpochTask(job).runScored(partition, attempt, blocks.train(),
          blocks.validation().next(), withMetrics);
    }, whileStarting);
  }

  /** A partition's training and validation blocks, as a zip of the two RDDs gives them. */
  private record Blocks(java.util.Iterator<Block> train, java.util.Iterator<Block> validation) {
  }

  /**
   * What one barrier task of an epoch runs over its partition: the partition's index, the
   * attempt number ({@code stageAttempt * 1000 + taskAttempt}; a retried stage or task has a
   * larger one) and the partition's rows. Other model families (the deeplearning4j module) run
   * their own body with the same stage, retries and pacing.
   */
  @FunctionalInterface
  public interface PartitionBody<T, R> extends java.io.Serializable {
    R run(int partition, int attempt, java.util.Iterator<T> rows);
  }

  /**
   * Runs {@code body} over every partition of {@code data} as one barrier stage and returns each
   * partition's result, in partition order; a failed attempt of the stage runs again whole, as
   * described above, and {@code whileStarting} runs once the first attempt is submitted.
   * {@code epoch} names the epoch in logs and errors.
   */
  public static <T, R> List<R> run(JavaRDD<T> data, int epoch, Class<R> resultType,
      PartitionBody<T, R> body, Runnable whileStarting) {
    return run(data, epoch, resultType, body, whileStarting,
        data.context().getConf().getInt("spark.stage.maxConsecutiveAttempts", 4));
  }

  /**
   * As {@link #run(JavaRDD, EpochJob, Runnable)} with at most {@code attempts} attempts of the
   * stage: 1 for a caller that recovers from a failed epoch itself (a checkpointed keyed run
   * restores every shard from its last checkpoint, as a rerun against shards some of which
   * restarted from a checkpoint would mix two rounds' parameters).
   */
  public static List<EpochReport> run(JavaRDD<? extends Block> given, EpochJob job,
      Runnable whileStarting, int attempts) {
    return run(widen(given), job.epoch(), EpochReport.class,
        (partition, attempt, it) -> new EpochTask(job).run(partition, attempt, it),
        whileStarting, attempts);
  }

  private static <T, R> List<R> run(JavaRDD<T> data, int epoch, Class<R> resultType,
      PartitionBody<T, R> body, Runnable whileStarting, int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("an epoch needs at least 1 attempt, got " + attempts);
    }
    ClassTag<R> tag = ClassTag$.MODULE$.apply(resultType);
    for (int attempt = 0; ; attempt++) {
      try {
        JavaFutureAction<List<R>> f = JavaRDD.fromRDD(data.rdd().barrier()
            .mapPartitions(new Task<>(body, attempt), false, tag), tag).collectAsync();
        if (attempt == 0) {
          try {
            whileStarting.run();
          } catch (RuntimeException | Error e) {
            f.cancel(true);
            throw e;
          }
        }
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while epoch " + epoch + " ran", e);
      } catch (ExecutionException wrapped) {
        Throwable e = wrapped.getCause() == null ? wrapped : wrapped.getCause();
        if (!(e instanceof SparkException se) || !retryable(se) || attempt + 1 >= attempts) {
          throw BarrierEpoch.<RuntimeException>rethrow(e);
        }
        LOG.warn("Epoch {} failed on attempt {} of {}; running it again: {}", epoch,
            attempt + 1, attempts, e.getMessage());
      }
    }
  }

  /** Throws {@code e} as it is, checked or not (as Spark's Scala code does). */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable e) throws E {
    throw (E) e;
  }

  /** Whether a failed job is a failed attempt of the barrier stage (not a cancelled job). */
  static boolean retryable(SparkException e) {
    return e.getMessage() != null && e.getMessage().contains(FAILED_BARRIER_STAGE);
  }

  /** The task body, a serializable Scala function over the partition's iterator. */
  static final class Task<T, R> extends AbstractFunction1<Iterator<T>, Iterator<R>>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final PartitionBody<T, R> body;
    private final int stageAttempt;

    Task(PartitionBody<T, R> body, int stageAttempt) {
      this.body = body;
      this.stageAttempt = stageAttempt;
    }

    @Override
    public Iterator<R> apply(Iterator<T> it) {
      BarrierTaskContext ctx = BarrierTaskContext.get();
      int attempt = stageAttempt * 1000 + ctx.attemptNumber();
      R result = body.run(ctx.partitionId(), attempt, JavaConverters.asJavaIterator(it));
      return JavaConverters.asScalaIterator(java.util.List.of(result).iterator());
    }
  }
}
