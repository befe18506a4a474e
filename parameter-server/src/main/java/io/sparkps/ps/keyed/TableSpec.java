package io.sparkps.ps.keyed;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sparkps.core.io.ModelJson;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.SparseModel;

/**
 * The declaration of a keyed table as it travels (in a keyed job's init) and is kept (in a
 * shard's checkpoint): everything needed to build an empty table that behaves exactly as the
 * original, with the rule and the model as the JSON text they arrived in.
 *
 * @param width floats per key
 * @param ruleJson the per-key rule ({@link SparseRuleJson})
 * @param modelJson the sparse model whose rows initialize new keys ({@code ModelSpec} JSON), or
 *     "" for rows of zeros
 * @param initSeed the seed of those rows
 * @param shardingSeed the seed of the job's {@link KeySharding}
 * @param maxTableBytes the shard's bound on its table's bytes
 * @param tailLength the length of the job's whole dense tail
 */
public record TableSpec(
    int width, String ruleJson, String modelJson, long initSeed, long shardingSeed,
    long maxTableBytes, int tailLength) {

  public TableSpec {
    if (width < 1 || width > KeyedTable.MAX_WIDTH || maxTableBytes < 1 || tailLength < 0
        || ruleJson == null || modelJson == null) {
      throw new IllegalArgumentException("a keyed table needs a width of 1 to "
          + KeyedTable.MAX_WIDTH + ", a byte bound of at least 1, a tail of at least 0 and a "
          + "rule, got width " + width + ", bound " + maxTableBytes + ", tail " + tailLength
          + " and rule " + ruleJson + ".");
    }
  }

  /** The rule; a clear {@link IllegalArgumentException} when its JSON is not one. */
  public SparseOptimizer rule() {
    return SparseRuleJson.read(ruleJson);
  }

  /** Rows of zeros for an empty {@link #modelJson}, else the sparse model's own rows. */
  public RowInitializer initializer() {
    if (modelJson.isEmpty()) {
      return RowInitializer.zeros(width);
    }
    Model model;
    try {
      model = ModelJson.newMapper().readValue(modelJson, ModelSpec.class).build();
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("the keyed table's model JSON " + modelJson + " is not "
          + "a model descriptor (" + e.getMessage() + "); client and server must come from the "
          + "same SparkPS release", e);
    }
    if (!(model instanceof SparseModel sm) || sm.rowWidth() != width
        || sm.denseTail() != tailLength) {
      throw new IllegalArgumentException("the keyed table declares rows of " + width + " floats "
          + "and a tail of " + tailLength + ", but its model " + model.spec().name() + " "
          + model.spec().shape() + " is not a sparse model of that layout");
    }
    return RowInitializer.of(sm, initSeed);
  }

  /** A new, empty table of this declaration. */
  public KeyedTable newTable() {
    return new KeyedTable(width, rule(), initializer(), maxTableBytes);
  }

  /** The job's key sharding over {@code shards} shards. */
  public KeySharding sharding(int shards) {
    return new KeySharding(shards, shardingSeed);
  }
}
