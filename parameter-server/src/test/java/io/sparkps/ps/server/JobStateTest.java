package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.Optimizer;
import io.sparkps.core.optim.OptimizerState;
import io.sparkps.core.optim.Sgd;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.wire.Payloads;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One shard's sync rounds: the mean, the step and the copy into the reply, done a range at a
 * time, give the floats of the documented whole-array formula whatever order the pushes come in;
 * the parameters' payload buffer is copied once per update, shared by its replies, and the same
 * memory is overwritten on the next update once no reply holds it, with the server's own pooled
 * allocator, which rounds large capacities up.
 */
class JobStateTest {

  /** The server's allocator, counting the buffers asked of it. */
  static final class Counting extends AbstractByteBufAllocator {
    int direct;

    Counting() {
      super(true);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      direct++;
      return ParameterServer.ALLOCATOR.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      return ParameterServer.ALLOCATOR.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return true;
    }
  }

  private static JobState job(int length) {
    return job(length, Sgd.of(0.5), 1, new float[length]);
  }

  private static JobState job(int length, Optimizer rule, int partitions, float[] initial) {
    ShardJob job = new ShardJob(0, 1, length, 0, length, rule, "{}",
        new ConsistencyMode.Sync(), partitions, 1);
    return JobState.fresh(job, initial);
  }

  private static float[] random(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  @Test
  void roundsOverSeveralRangesGiveTheWholeArrayFormulaInAnyArrivalOrder() {
    int n = 2 * JobState.RANGE + 77; // three ranges, the last one short
    int partitions = 3;
    long[] examples = {5, 3, 12};
    int[][] orders = {{2, 0, 1}, {0, 1, 2}, {1, 2, 0}, {2, 1, 0}};
    for (PayloadKind kind : PayloadKind.values()) {
      SplittableRandom r = new SplittableRandom(7);
      float[] initial = random(r, n);
      Optimizer rule = Adam.of(0.01);
      JobState s = job(n, rule, partitions, initial.clone());
      float[] want = initial.clone();
      OptimizerState state = rule.newState(n);
      Counting alloc = new Counting();
      s.payload(alloc).release();
      for (int round = 0; round < orders.length; round++) {
        float[][] g = new float[partitions][];
        for (int p = 0; p < partitions; p++) {
          g[p] = random(r, n);
        }
        // the documented mean: sum in partition order from 0, then divide by the examples
        float total = examples[0] + examples[1] + examples[2];
        float[] mean = new float[n];
        for (int i = 0; i < n; i++) {
          float sum = 0f;
          for (int p = 0; p < partitions; p++) {
            sum += (float) examples[p] * g[p][i];
          }
          mean[i] = sum / total;
        }
        if (kind == PayloadKind.GRADIENT) {
          rule.step(want, mean, state, round + 1);
        } else {
          for (int i = 0; i < n; i++) {
            want[i] += mean[i];
          }
        }
        List<RoundStats> stats = new ArrayList<>();
        for (int p : orders[round]) {
          float[] values = s.pool().take();
          System.arraycopy(g[p], 0, values, 0, n);
          s.push(new PushData(round, p, 0, examples[p], 1.0, kind, values), stats);
        }
        assertEquals(1, stats.size(), "the round completes with its third push");
        assertArrayEquals(want, s.params(), kind + " round " + round + " order "
            + java.util.Arrays.toString(orders[round]));
        ByteBuf reply = s.payload(alloc);
        assertArrayEquals(want, floats(reply), "the reply holds the new parameters");
        reply.release();
      }
      assertEquals(1, alloc.direct, "one reply buffer, overwritten every round");
      s.releasePayload();
    }
  }

  /** One sync round of one partition pushing a gradient of all {@code g}. */
  private static void round(JobState s, float g) {
    float[] values = s.pool().take();
    java.util.Arrays.fill(values, g);
    List<RoundStats> stats = new ArrayList<>();
    s.push(new PushData(s.version(), 0, 0, 1, 0.0, PayloadKind.GRADIENT, values), stats);
    assertEquals(1, stats.size());
  }

  private static float[] floats(ByteBuf b) {
    return Payloads.toFloats(b);
  }

  @Test
  void aLargeShardOverwritesItsPayloadBufferOnceTheRepliesAreReleased() {
    int n = 10_000_000; // 40 MB, which the pool hands out with a 40 MiB capacity
    Counting alloc = new Counting();
    JobState s = job(n);
    ByteBuf first = s.payload(alloc);
    assertTrue(first.capacity() > n * Float.BYTES, "the pool rounded the capacity up");
    assertEquals(n * Float.BYTES, first.readableBytes());
    ByteBuf again = s.payload(alloc);
    assertEquals(1, alloc.direct, "replies of one version share one buffer");
    first.release();
    again.release();

    round(s, 2f); // params -= 0.5 * 2
    ByteBuf second = s.payload(alloc);
    assertEquals(1, alloc.direct, "no reply held it: overwritten, not allocated again");
    float[] got = floats(second);
    assertEquals(n, got.length);
    assertEquals(-1f, got[0]);
    assertEquals(-1f, got[n - 1]);

    // a reply still being written keeps its bytes: the next version goes to a new buffer
    round(s, 2f);
    ByteBuf third = s.payload(alloc);
    assertEquals(2, alloc.direct);
    assertEquals(-1f, floats(second)[n - 1], "the held reply still reads the old version");
    assertEquals(-2f, floats(third)[n - 1]);
    second.release();
    third.release();
    s.releasePayload();
  }

  @Test
  void aSmallShardReusesItsBufferToo() {
    int n = 100_003;
    Counting alloc = new Counting();
    JobState s = job(n);
    s.payload(alloc).release();
    for (int r = 1; r <= 3; r++) {
      round(s, 1f);
      ByteBuf b = s.payload(alloc);
      float[] want = new float[n];
      java.util.Arrays.fill(want, -0.5f * r);
      assertArrayEquals(want, floats(b));
      b.release();
    }
    assertEquals(1, alloc.direct);
    s.releasePayload();
  }
}
