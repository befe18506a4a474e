package io.sparkps.driver;

import io.sparkps.driver.data.DataKryoRegistrator;
import io.sparkps.worker.SparkPsKryoRegistrator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place that builds a {@link SparkSession} for SparkPS: master, application name, Kryo
 * with SparkPS's registrators, the UI, and loopback addresses for local masters.
 */
public final class SparkSessions {

  /** The Kryo registrators, in the order they register (the order fixes the class ids). */
  public static final String REGISTRATORS = SparkPsKryoRegistrator.class.getName() + ","
      + DataKryoRegistrator.class.getName();

  private SparkSessions() {
  }

  /**
   * Runtime settings of a session, kept apart from algorithm settings.
   *
   * @param master the Spark master; empty takes {@code spark.master} as spark-submit sets it,
   *     or {@code local[*]} when nothing sets it
   * @param appName the application name shown by the cluster manager
   * @param ui whether to start the Spark web UI
   * @param registrationRequired whether Kryo refuses classes nobody registered (tests set it,
   *     so that an unregistered class fails fast instead of costing bytes)
   * @param extra further Spark settings, applied last
   */
  public record Settings(Optional<String> master, String appName, boolean ui,
      boolean registrationRequired, Map<String, String> extra) {

    public Settings {
      extra = Map.copyOf(extra);
      if (master.isPresent() && master.get().isBlank()) {
        throw new IllegalArgumentException("the Spark master must not be blank; give one such as "
            + "local[2] or spark://host:7077, or leave it out to use spark-submit's");
      }
      if (appName.isBlank()) {
        throw new IllegalArgumentException("the Spark application name must not be blank");
      }
    }

    /** The master spark-submit set, else {@code local[*]}; UI on; registration not required. */
    public static Settings defaults() {
      return new Settings(Optional.empty(), "SparkPS", true, false, Map.of());
    }

    public Settings withMaster(String value) {
      return new Settings(Optional.of(value), appName, ui, registrationRequired, extra);
    }

    public Settings withAppName(String value) {
      return new Settings(master, value, ui, registrationRequired, extra);
    }

    public Settings withUi(boolean value) {
      return new Settings(master, appName, value, registrationRequired, extra);
    }

    public Settings withRegistrationRequired(boolean value) {
      return new Settings(master, appName, ui, value, extra);
    }

    /** These settings plus the Spark setting {@code key=value}. */
    public Settings with(String key, String value) {
      Map<String, String> m = new LinkedHashMap<>(extra);
      m.put(key, value);
      return new Settings(master, appName, ui, registrationRequired, m);
    }
  }

  /** The configuration {@link #getOrCreate} starts a session with. */
  public static SparkConf conf(Settings settings) {
    SparkConf conf = new SparkConf();
    String master = settings.master().orElse(conf.get("spark.master", "local[*]"));
    conf.setMaster(master)
        .setAppName(settings.appName())
        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .set("spark.kryo.registrator", REGISTRATORS)
        .set("spark.kryo.registrationRequired", Boolean.toString(settings.registrationRequired()))
        .set("spark.ui.enabled", Boolean.toString(settings.ui()))
        .set("spark.ui.showConsoleProgress", "false");
    if (master.startsWith("local")) {
      conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    }
    settings.extra().forEach(conf::set);
    return conf;
  }

  /**
   * A session with these settings, or the session already running in this JVM (Spark allows one
   * context per JVM; its settings then stay as they were).
   */
  public static SparkSession getOrCreate(Settings settings) {
    return SparkSession.builder().config(conf(settings)).getOrCreate();
  }
}
