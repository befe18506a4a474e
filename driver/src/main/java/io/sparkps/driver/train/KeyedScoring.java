package io.sparkps.driver.train;

import io.sparkps.core.compute.ComputeBackends;
import io.sparkps.core.data.Block;
import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.train.CompactBatch;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import io.sparkps.ps.client.ServerAccess;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * The mean loss of a keyed job's model over held-out blocks, computed on the executors against
 * the servers: each block is read in chunks of {@value #CHUNK} rows, and each chunk pulls only
 * the rows of its keys ({@link CompactBatch}), so an executor holds one chunk's keys at a time,
 * never the model.
 */
final class KeyedScoring {
  static final int CHUNK = 4096;

  private KeyedScoring() {
  }

  /** The mean loss over {@code data} of the model the servers hold at {@code round}. */
  static double meanLoss(JavaRDD<Block> data, SparseModel model, ServerAccess server,
      long shardingSeed, long round, String backend) {
    io.sparkps.core.model.ModelSpec spec = model.spec();
    List<double[]> parts = data.map(b -> {
      SparseModel m = (SparseModel) spec.build(ComputeBackends.byName(backend));
      return blockLoss(m, b, server.clientConfig(), shardingSeed, round);
    }).collect();
    double sum = 0;
    double n = 0;
    for (double[] d : parts) {
      sum += d[0];
      n += d[1];
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static double[] blockLoss(SparseModel m, Block b, ClientConfig cc, long seed,
      long round) {
    if (b.rows() == 0) {
      return new double[] {0, 0};
    }
    SparseBlock sb = SparseModel.sparse(b, m.keys(), m.spec().name());
    double sum = 0;
    try (KeyedClient client = KeyedClient.connect(cc.withName("keyed-scoring"), m.rowWidth(),
        m.denseTail(), seed)) {
      float[] tail = new float[m.denseTail()];
      for (int from = 0; from < sb.rows(); from += CHUNK) {
        int to = Math.min(sb.rows(), from + CHUNK);
        CompactBatch batch = CompactBatch.of(m, sb, from, to);
        float[] rows = new float[batch.rowFloats()];
        client.pull(round, batch.keys(), batch.count(), rows, tail);
        float[] params = new float[batch.parameterCount()];
        batch.assemble(rows, tail, params);
        sum += batch.model().loss(params, batch.blocks().get(0), 0, to - from,
            batch.model().newWorkspace(to - from));
      }
    }
    return new double[] {sum, sb.rows()};
  }
}
