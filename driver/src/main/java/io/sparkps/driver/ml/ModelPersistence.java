package io.sparkps.driver.ml;

import java.util.function.BiFunction;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * ML persistence of the SparkPS models: Spark's param metadata under {@code metadata/} (as every
 * MLlib stage writes it, so {@code Pipeline}, {@code CrossValidatorModel} and
 * {@code PipelineModel.load} handle the models) and the model in SparkPS's own format under
 * {@code data/}.
 */
final class ModelPersistence {
  private ModelPersistence() {
  }

  static MLWriter writer(Params stage, TrainedModel trained) {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        SparkContext sc = sparkSession().sparkContext();
        DefaultParamsWriter.saveMetadata(stage, path, sc, scala.Option.empty(),
            scala.Option.empty());
        trained.save(new Path(path, "data"), sc);
      }
    };
  }

  /** A reader that rebuilds the model with {@code factory(uid, trained)} and sets its params. */
  static <T extends Params> MLReader<T> reader(Class<T> type,
      BiFunction<String, TrainedModel, T> factory) {
    return new MLReader<>() {
      @Override
      public T load(String path) {
        SparkContext sc = sparkSession().sparkContext();
        DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sc,
            type.getName());
        T model = factory.apply(meta.uid(), TrainedModel.load(new Path(path, "data"), sc));
        meta.getAndSetParams(model, scala.Option.empty());
        return model;
      }
    };
  }
}
