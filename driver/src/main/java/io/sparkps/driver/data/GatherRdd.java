package io.sparkps.driver.data;

import io.sparkps.core.data.Block;
import io.sparkps.core.train.PartitionWorker;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;

/**
 * The worker blocks of one split, gathered from the cached {@link ParsedPartition}s without a
 * shuffle: worker partition {@code t} reads every parsed partition, keeps its chunks for
 * {@code t}, encodes their labels and assembles them in key order ({@link Chunks#assemble}), a
 * training block then in its seeded random order once. Where the parsed partitions are cached on
 * the same executor they are read in place; Spark's block manager fetches the others from the
 * executors that hold them, and a missing one is computed again from its input split.
 *
 * <p>The RDD declares no dependency on the parsed partitions (it reads them through their RDD's
 * {@code iterator}, which caches and recomputes as for a dependency): the training runs in a
 * barrier stage, and Spark refuses one whose RDD chain holds an RDD of another partition count
 * (SPARK-24820), which a dependency on the input partitions would be. The load materializes the
 * parsed partitions before this RDD is computed.
 */
final class GatherRdd extends RDD<Block> {
  private static final long serialVersionUID = 1L;

  private final RDD<ParsedPartition> parsed;
  /** The parent's partitions, taken on the driver (an executor cannot list them). */
  private final Partition[] sources;
  private final int targets;
  private final boolean validation;
  private final LabelCodec codec;
  private final Chunks.Layout layout;
  private final long seed;

  GatherRdd(RDD<ParsedPartition> parsed, int targets, boolean validation, LabelCodec codec,
      Chunks.Layout layout, long seed) {
    super(parsed.context(), JavaConverters.asScalaBuffer(
        List.<org.apache.spark.Dependency<?>>of()).toSeq(), ClassTag$.MODULE$.apply(Block.class));
    this.parsed = parsed;
    this.sources = parsed.partitions();
    this.targets = targets;
    this.validation = validation;
    this.codec = codec;
    this.layout = layout;
    this.seed = seed;
  }

  @Override
  public Partition[] getPartitions() {
    Partition[] p = new Partition[targets];
    for (int i = 0; i < targets; i++) {
      p[i] = new Target(i);
    }
    return p;
  }

  @Override
  public scala.collection.Iterator<Block> compute(Partition split, TaskContext context) {
    int t = split.index();
    List<Tuple2<Long, Block>> mine = new ArrayList<>();
    for (Partition source : sources) {
      scala.collection.Iterator<ParsedPartition> it = parsed.iterator(source, context);
      while (it.hasNext()) {
        it.next().encoded(codec, t, validation).forEachRemaining(mine::add);
      }
    }
    Block b = Chunks.assemble(mine.iterator(), validation, layout, t);
    Block out = validation ? b : PartitionWorker.preShuffle(b, seed, t);
    return JavaConverters.asScalaIterator(List.of(out).iterator());
  }

  /** Worker partition {@code index}. */
  private record Target(int index) implements Partition {
  }
}
