package io.sparkps.driver.data;

import com.esotericsoftware.kryo.Kryo;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.sql.catalyst.expressions.GenericRow;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Registers with Kryo what the driver's data loading ships through Spark: the read's
 * {@link DataSummary}, the Spark SQL schema classes that Parquet schema inference returns from
 * its tasks, and the generic rows (with their ML vectors) that RDDs of {@code Row} shuffle, and what MLlib's
 * evaluators shuffle when they score a SparkPS model. Runs after {@code io.sparkps.worker.SparkPsKryoRegistrator}, which registers
 * the blocks and the JDK types inside them; {@code io.sparkps.driver.SparkSessions} sets both.
 */
public final class DataKryoRegistrator implements KryoRegistrator {

  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(DataSummary.class);
    // the parsed input partitions, cached between the load's two stages (spilled to disk)
    kryo.register(ParsedPartition.class);
    kryo.register(io.sparkps.core.data.Block[].class);
    List<Class<?>> schema = List.of(StructType.class, StructType[].class, StructField.class,
        StructField[].class, Metadata.class, ArrayType.class, MapType.class, DecimalType.class,
        DataTypes.BooleanType.getClass(), DataTypes.ByteType.getClass(),
        DataTypes.ShortType.getClass(), DataTypes.IntegerType.getClass(),
        DataTypes.LongType.getClass(), DataTypes.FloatType.getClass(),
        DataTypes.DoubleType.getClass(), DataTypes.StringType.getClass(),
        DataTypes.BinaryType.getClass(), DataTypes.DateType.getClass(),
        DataTypes.TimestampType.getClass(), DataTypes.TimestampNTZType.getClass(),
        DataTypes.NullType.getClass(), DataTypes.CalendarIntervalType.getClass(),
        SQLDataTypes.VectorType().getClass(), SQLDataTypes.MatrixType().getClass());
    schema.forEach(kryo::register);
    // CSV schema inference (predict reads CSV with inferSchema) ships arrays of types
    kryo.register(org.apache.spark.sql.types.DataType[].class);
    kryo.register(org.apache.spark.sql.Row[].class);
    kryo.register(GenericRow.class);
    kryo.register(GenericRowWithSchema.class);
    kryo.register(DenseVector.class);
    kryo.register(SparseVector.class);
    // MLlib's BinaryClassificationEvaluator, run on a SparkPS model's output, shuffles these
    kryo.register(org.apache.spark.mllib.evaluation.binary.BinaryLabelCounter.class);
    kryo.register(org.apache.spark.mllib.evaluation.binary.BinaryLabelCounter[].class);
  }
}
