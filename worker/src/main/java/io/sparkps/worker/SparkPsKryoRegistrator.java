package io.sparkps.worker;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.sparkps.core.data.ExampleBlock;
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
