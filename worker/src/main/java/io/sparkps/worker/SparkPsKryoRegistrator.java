package io.sparkps.worker;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.metrics.ClassificationStats;
import io.sparkps.core.metrics.RegressionStats;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers with Kryo every class SparkPS ships through Spark (cached blocks, shuffled chunks,
 * task results, aggregates), so that {@code spark.kryo.registrationRequired=true} holds and each
 * object is written with a small class id instead of its name. Set it with
 * {@code spark.kryo.registrator}; {@code io.sparkps.driver.SparkSessions} does.
 *
 * <p>Records need serializers of their own: Kryo 4's field serializer sets fields by reflection,
 * which the JDK refuses for record fields. {@link ExampleBlock} gets a compact one (two ints,
 * then the raw float arrays); other records get {@link RecordSerializer}, which goes through the
 * canonical constructor.
 */
public class SparkPsKryoRegistrator implements KryoRegistrator {

  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(ExampleBlock.class, new ExampleBlockSerializer());
    kryo.register(ExampleBlock[].class);
    kryo.register(SparseBlock.class, new SparseBlockSerializer());
    kryo.register(SparseBlock[].class);
    kryo.register(short[].class);
    kryo.register(float[].class);
    kryo.register(float[][].class);
    kryo.register(double[].class);
    kryo.register(double[][].class);
    kryo.register(long[].class);
    kryo.register(int[].class);
    kryo.register(boolean[].class);
    kryo.register(String[].class);
    kryo.register(Object[].class);
    kryo.register(java.util.ArrayList.class);
    kryo.register(java.util.HashMap.class);
    kryo.register(java.util.HashSet.class);
    kryo.register(java.util.TreeMap.class);
    kryo.register(java.util.TreeSet.class);
    kryo.register(ClassificationStats.class);
    kryo.register(RegressionStats.class);
    kryo.register(EpochReport.class, new RecordSerializer<>(EpochReport.class));
    kryo.register(EpochReport[].class);
    kryo.register(Calibration.Measure.class, new RecordSerializer<>(Calibration.Measure.class));
    kryo.register(Calibration.Measure[].class);
    kryo.register(EpochTask.Scored.class, new RecordSerializer<>(EpochTask.Scored.class));
    kryo.register(EpochTask.Scored[].class);
    kryo.register(HeldOutScore.class, new RecordSerializer<>(HeldOutScore.class));
    kryo.register(HeldOutScore.NoMetrics.class,
        new RecordSerializer<>(HeldOutScore.NoMetrics.class));
    kryo.register(HeldOutScore.Classification.class,
        new RecordSerializer<>(HeldOutScore.Classification.class));
    kryo.register(HeldOutScore.Regression.class,
        new RecordSerializer<>(HeldOutScore.Regression.class));
    kryo.register(HeldOutScore.Metrics[].class);
  }

  /**
   * Writes a block as rows, cols, then the {@code rows x cols} features and {@code rows} labels
   * as raw floats (no boxing, no per-element class tags).
   */
  public static final class ExampleBlockSerializer extends Serializer<ExampleBlock> {

    @Override
    public void write(Kryo kryo, Output output, ExampleBlock block) {
      int n = block.rows() * block.cols();
      output.writeInt(block.rows(), true);
      output.writeInt(block.cols(), true);
      float[] f = block.features();
      float[] y = block.labels();
      output.writeFloats(f.length == n ? f : Arrays.copyOf(f, n));
      output.writeFloats(y.length == block.rows() ? y : Arrays.copyOf(y, block.rows()));
    }

    @Override
    public ExampleBlock read(Kryo kryo, Input input, Class<ExampleBlock> type) {
      int rows = input.readInt(true);
      int cols = input.readInt(true);
      long n = (long) rows * cols;
      if (n > Integer.MAX_VALUE - 8) {
        throw new KryoException("a serialized block claims " + rows + " x " + cols
            + " features, more than a Java array holds; the data is corrupt");
      }
      float[] features = input.readFloats((int) n);
      float[] labels = input.readFloats(rows);
      return new ExampleBlock(rows, cols, features, labels);
    }
  }

  /**
   * Writes a sparse block as rows, cols, nnz and fieldCount, then its arrays raw; reading checks
   * the counts before allocating and the block's own constructor checks the structure.
   */
  public static final class SparseBlockSerializer extends Serializer<SparseBlock> {

    @Override
    public void write(Kryo kryo, Output output, SparseBlock b) {
      int rows = b.rows();
      int nnz = b.nnz();
      output.writeInt(rows, true);
      output.writeInt(b.cols(), true);
      output.writeInt(nnz, true);
      output.writeInt(b.hasFields() ? b.fieldCount() : 0, true);
      output.writeInts(Arrays.copyOf(b.rowStart(), rows + 1), true);
      output.writeInts(b.indices().length == nnz ? b.indices() : Arrays.copyOf(b.indices(), nnz),
          true);
      output.writeFloats(b.values().length == nnz ? b.values() : Arrays.copyOf(b.values(), nnz));
      output.writeFloats(b.labels().length == rows ? b.labels() : Arrays.copyOf(b.labels(), rows));
      if (b.hasFields()) {
        output.writeShorts(Arrays.copyOf(b.fields(), nnz));
      }
    }

    @Override
    public SparseBlock read(Kryo kryo, Input input, Class<SparseBlock> type) {
      int rows = input.readInt(true);
      int cols = input.readInt(true);
      int nnz = input.readInt(true);
      int fieldCount = input.readInt(true);
      if (rows < 0 || nnz < 0 || rows > Integer.MAX_VALUE - 9 || fieldCount > Short.MAX_VALUE) {
        throw new KryoException("a serialized sparse block claims " + rows + " rows, " + nnz
            + " entries and " + fieldCount + " fields; the data is corrupt");
      }
      int[] rowStart = input.readInts(rows + 1, true);
      int[] indices = input.readInts(nnz, true);
      float[] values = input.readFloats(nnz);
      float[] labels = input.readFloats(rows);
      short[] fields = fieldCount > 0 ? input.readShorts(nnz) : new short[0];
      try {
        return new SparseBlock(rows, cols, rowStart, indices, values, labels, fields,
            fieldCount);
      } catch (IllegalArgumentException e) {
        throw new KryoException("a serialized sparse block is malformed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Any record, written component by component ({@code writeClassAndObject}) and rebuilt through
   * its canonical constructor, so the record's own checks run again on the receiving side.
   */
  public static final class RecordSerializer<T extends Record> extends Serializer<T> {
    private final Method[] accessors;
    private final Constructor<T> constructor;

    public RecordSerializer(Class<T> type) {
      RecordComponent[] components = type.getRecordComponents();
      accessors = new Method[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        accessors[i] = components[i].getAccessor();
        accessors[i].setAccessible(true);
        types[i] = components[i].getType();
      }
      try {
        constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("record " + type.getName()
            + " has no canonical constructor", e);
      }
    }

    @Override
    public void write(Kryo kryo, Output output, T record) {
      try {
        for (Method accessor : accessors) {
          kryo.writeClassAndObject(output, accessor.invoke(record));
        }
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new KryoException("cannot read the components of " + record.getClass().getName(),
            e);
      }
    }

    @Override
    public T read(Kryo kryo, Input input, Class<T> type) {
      Object[] args = new Object[accessors.length];
      for (int i = 0; i < args.length; i++) {
        args[i] = kryo.readClassAndObject(input);
      }
      try {
        return constructor.newInstance(args);
      } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
        throw new KryoException("cannot rebuild a " + type.getName() + " from its components",
            e);
      }
    }
  }
}
