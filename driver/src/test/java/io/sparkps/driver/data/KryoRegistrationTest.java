package io.sparkps.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.metrics.ClassificationStats;
import io.sparkps.worker.EpochReport;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** What SparkPS ships round-trips through the session's Kryo, which refuses anything else. */
class KryoRegistrationTest {

  private static <T> T roundTrip(T value, Class<T> type) {
    SparkTestSession.get();
    SerializerInstance kryo = SparkEnv.get().serializer().newInstance();
    ClassTag<T> tag = ClassTag$.MODULE$.apply(type);
    ByteBuffer bytes = kryo.serialize(value, tag);
    return kryo.deserialize(bytes, tag);
  }

  @Test
  void blocksTravelAsRawFloats() {
    ExampleBlock b = new ExampleBlock(2, 3, new float[] {1, 2, 3, 4, 5, 6, 99},
        new float[] {0, 1, 7});
    ExampleBlock back = roundTrip(b, ExampleBlock.class);
    assertEquals(2, back.rows());
    assertEquals(3, back.cols());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, back.features());
    assertArrayEquals(new float[] {0, 1}, back.labels());
  }

  @Test
  void sparseBlocksTravelWithTheirFieldsAndCorruptCountsAreRefused() {
    io.sparkps.core.data.SparseBlock b = new io.sparkps.core.data.SparseBlock(2, 9,
        new int[] {0, 2, 3}, new int[] {1, 5, 8, 7}, new float[] {1, 2, 3, 4},
        new float[] {0, 1, 5}, new short[] {0, 1, 1, 0}, 2);
    io.sparkps.core.data.SparseBlock back = roundTrip(b,
        io.sparkps.core.data.SparseBlock.class);
    assertEquals(2, back.rows());
    assertEquals(9, back.cols());
    assertArrayEquals(new int[] {0, 2, 3}, back.rowStart());
    assertArrayEquals(new int[] {1, 5, 8}, back.indices());
    assertArrayEquals(new float[] {1, 2, 3}, back.values());
    assertArrayEquals(new float[] {0, 1}, back.labels());
    assertArrayEquals(new short[] {0, 1, 1}, back.fields());
    // a block whose bytes claim more rows than they hold fails without allocating for the claim
    com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(64);
    out.writeInt(Integer.MAX_VALUE - 8, true);
    out.writeInt(9, true);
    out.writeInt(3, true);
    out.writeInt(0, true);
    com.esotericsoftware.kryo.io.Input in = new com.esotericsoftware.kryo.io.Input(out.toBytes());
    Exception e = assertThrows(Exception.class, () -> new io.sparkps.worker
        .SparkPsKryoRegistrator.SparseBlockSerializer().read(null, in,
            io.sparkps.core.data.SparseBlock.class));
    assertTrue(e.getMessage().contains("corrupt") || e instanceof
        com.esotericsoftware.kryo.KryoException, e.toString());
  }

  @Test
  void recordsAggregatesAndArraysAreRegistered() {
    EpochReport r = new EpochReport(1, 0, 100, 2.5, 3, 0, 0.1, 0.2, 4096, 0.05);
    assertEquals(r, roundTrip(r, EpochReport.class));
    ClassificationStats s = ClassificationStats.binary().add(1f, 0.9f).add(0f, 0.2f);
    assertEquals(s.result().toMap(), roundTrip(s, ClassificationStats.class).result().toMap());
    assertArrayEquals(new float[][] {{1f}}, roundTrip(new float[][] {{1f}}, float[][].class));
    DataSummary d = new DataSummary();
    d.addDense(new float[] {1, 2}, false, true);
    d.addLabel("a");
    assertEquals(d.labels(), roundTrip(d, DataSummary.class).labels());
  }

  @Test
  void rowsOfVectorsShuffleThroughKryo() {
    List<Row> rows = List.of(RowFactory.create(Vectors.dense(1, 2), 1.0),
        RowFactory.create(Vectors.sparse(2, new int[] {1}, new double[] {3}), 0.0));
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), false),
        DataTypes.createStructField("label", DataTypes.DoubleType, false)});
    List<Row> back = SparkTestSession.get().createDataFrame(rows, schema).toJavaRDD()
        .repartition(2).collect();
    assertEquals(2, back.size());
  }

  @Test
  void unregisteredClassesAreRefused() {
    assertThrows(Exception.class, () -> roundTrip(new StringBuilder("x"), StringBuilder.class));
  }

  @Test
  void parsedPartitionsTravelWhenAnotherExecutorGathersThem() {
    RowSplit split = new RowSplit(1, 0);
    RowSink.Partition<ParsedPartition> sink = ParseSink.factory(LabelCodec.firstPass(
        LabelSpec.fit(io.sparkps.core.model.Task.BINARY)), split, true,
        new ChunkSink.Plan(2, 2, split, -1)).open(0);
    sink.dense(1, "b", new float[] {1, 2});
    sink.dense(2, "a", new float[] {3, 4});
    ParsedPartition back = roundTrip(sink.finish().next(), ParsedPartition.class);
    assertEquals(2, back.summary().trainRows());
    assertEquals(java.util.Set.of("a", "b"), back.summary().labels());
    java.util.List<Float> labels = new java.util.ArrayList<>();
    back.encoded(LabelCodec.of(io.sparkps.core.data.LabelEncoder.fit(
        io.sparkps.core.model.Task.BINARY, java.util.List.of("a", "b"))))
        .forEachRemaining(t -> {
          for (float y : ((ExampleBlock) t._2()).labels()) {
            labels.add(y);
          }
        });
    // two targets: one row each, "b" then "a"
    assertEquals(java.util.List.of(1f, 0f), labels);
  }
}
