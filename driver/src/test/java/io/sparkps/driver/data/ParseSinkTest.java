package io.sparkps.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.LabelEncoder;
import io.sparkps.core.data.LibSvmRow;
import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.model.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The one read of a partition: what it counts, what it keeps, and how labels come out. */
class ParseSinkTest {
  private static final RowSplit NO_VALIDATION = new RowSplit(1, 0);

  private static ParsedPartition read(LabelCodec codec, ChunkSink.Plan plan,
      java.util.function.Consumer<RowSink> rows) {
    RowSink.Partition<ParsedPartition> sink = ParseSink.factory(codec, NO_VALIDATION, true, plan)
        .open(0);
    rows.accept(sink);
    return sink.finish().next();
  }

  private static List<Block> blocks(Iterator<Tuple2<Long, Block>> it) {
    List<Block> out = new ArrayList<>();
    it.forEachRemaining(t -> out.add(t._2()));
    return out;
  }

  @Test
  void aBadLabelChangesNothingAndClassesAreEncodedAfterTheRead() {
    LabelCodec collecting = LabelCodec.firstPass(LabelSpec.fit(Task.BINARY));
    ParsedPartition p = read(collecting, new ChunkSink.Plan(1, 2, NO_VALIDATION, -1), sink -> {
      sink.dense(1, " yes", new float[] {1, 2});
      assertThrows(NumberFormatException.class, () -> sink.dense(2, " ", new float[] {9, 9}));
      sink.dense(3, "no", new float[] {3, 4});
      sink.dense(4, "yes", new float[] {5, 6});
    });
    assertEquals(3, p.summary().trainRows());
    assertEquals(Set.of("no", "yes"), p.summary().labels());
    assertArrayEquals(new double[] {9, 12}, p.summary().sum(2));
    LabelEncoder classes = LabelEncoder.fit(Task.BINARY, List.of("no", "yes"));
    List<Block> chunks = blocks(p.encoded(LabelCodec.of(classes)));
    assertEquals(1, chunks.size());
    ExampleBlock b = (ExampleBlock) chunks.get(0);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, b.features());
    assertArrayEquals(new float[] {1, 0, 1}, b.labels());
    // the cached chunk keeps its label indices: encoding again gives the same labels
    assertArrayEquals(new float[] {1, 0, 1},
        ((ExampleBlock) blocks(p.encoded(LabelCodec.of(classes))).get(0)).labels());
  }

  @Test
  void libSvmOfUnknownWidthIsKeptSparseThenDensifiedAndStandardized() {
    LabelCodec regression = LabelCodec.firstPass(LabelSpec.fit(Task.REGRESSION));
    ParsedPartition p = read(regression, new ChunkSink.Plan(1, 0, NO_VALIDATION, 0), sink -> {
      sink.sparse(1, "0.5", LibSvmRow.parse("f", 1, "0.5 1:2 3:4"));
      sink.sparse(2, "1.5", LibSvmRow.parse("f", 2, "1.5 2:6"));
    });
    assertEquals(3, p.summary().width());
    SparseBlock chunk = (SparseBlock) blocks(p.encoded(LabelCodec.of(LabelEncoder.fit(
        Task.REGRESSION, List.of())))).get(0);
    assertArrayEquals(new float[] {0.5f, 1.5f}, chunk.labels());
    Iterator<Tuple2<Long, Block>> shuffled = List.of(new Tuple2<Long, Block>(
        Chunks.key(0, false, 0, 0), chunk)).iterator();
    ExampleBlock dense = (ExampleBlock) Chunks.assemble(shuffled, false, new Chunks.Layout(3, -1,
        new double[] {1, 3, 2}, new double[] {1, 3, 2}), 0);
    assertArrayEquals(new float[] {1, -1, 1, -1, 1, -1}, dense.features());
    assertArrayEquals(new float[] {0.5f, 1.5f}, dense.labels());
  }
}
