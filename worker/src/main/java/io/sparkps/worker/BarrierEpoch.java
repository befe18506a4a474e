package io.sparkps.worker;

import io.sparkps.core.data.ExampleBlock;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The Spark glue of an epoch: one barrier stage whose tasks each run an {@link EpochTask} on
 * their partition. Barrier mode starts all tasks together (a bulk-synchronous round needs every
 * partition) and, when one fails, retries the whole stage. Rounds are paced by the parameter
 * server, never by {@code BarrierTaskContext.barrier()}, which costs about a second per call.
 */
public final class BarrierEpoch {
  private BarrierEpoch() {
  }

  /**
   * Runs one epoch over the cached blocks and returns each partition's report. The barrier stage
   * feeds a one-partition shuffle, which makes it a shuffle-map stage: Spark reruns a failed
   * barrier shuffle-map stage whole (up to {@code spark.stage.maxConsecutiveAttempts}), where a
   * failed barrier result stage would abort the job.
   */
  public static List<EpochReport> run(JavaRDD<ExampleBlock> blocks, EpochJob job) {
    ClassTag<EpochReport> tag = ClassTag$.MODULE$.apply(EpochReport.class);
    JavaRDD<EpochReport> reports = JavaRDD.fromRDD(
        blocks.rdd().barrier().mapPartitions(new Task(job), false, tag), tag);
    return reports.repartition(1).collect();
  }

  /** The task body, a serializable Scala function over the partition's iterator. */
  static final class Task extends AbstractFunction1<Iterator<ExampleBlock>, Iterator<EpochReport>>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final EpochJob job;

    Task(EpochJob job) {
      this.job = job;
    }

    @Override
    public Iterator<EpochReport> apply(Iterator<ExampleBlock> it) {
      BarrierTaskContext ctx = BarrierTaskContext.get();
      int attempt = ctx.stageAttemptNumber() * 1000 + ctx.attemptNumber();
      EpochReport report = new EpochTask(job).run(ctx.partitionId(), attempt,
          JavaConverters.asJavaIterator(it));
      return JavaConverters.asScalaIterator(java.util.List.of(report).iterator());
    }
  }
}
