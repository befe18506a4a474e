package io.sparkps.driver.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Hands a uid to a Spark ML class written in Java before its Scala superclass asks for it.
 *
 * <p>MLlib's base classes ({@code ProbabilisticClassifier}, {@code Regressor}, their models)
 * build their shared params ({@code featuresCol}, {@code probabilityCol}, ...) in their own
 * constructors, with {@code uid()} as the params' parent. A Scala subclass has its uid ready by
 * then; a Java subclass cannot assign a field before {@code super()}. So the public constructor
 * parks the uid here ({@code this(Uids.park(uid), ...)} evaluates before {@code super()}), and
 * the subclass's {@code uid()} takes it on first call, from the same thread.
 */
final class Uids {
  /** Proof that a uid was parked; the private constructors take it. */
  enum Parked { UID }

  private static final ThreadLocal<String> PARKED = new ThreadLocal<>();

  private Uids() {
  }

  /** Parks {@code uid} (or none, for a fresh random one) for the constructor about to run. */
  static Parked park(String uid) {
    PARKED.set(uid);
    return Parked.UID;
  }

  /** The parked uid, or a random one starting with {@code prefix}; clears what was parked. */
  static String take(String prefix) {
    String uid = PARKED.get();
    PARKED.remove();
    return uid != null ? uid : Identifiable$.MODULE$.randomUID(prefix);
  }
}
