package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.sparkps.core.optim.Sgd;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.wire.Payloads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parameters' payload buffer of a shard: one copy per update, shared by its replies, and the
 * same memory overwritten on the next update once no reply holds it, with the server's own pooled
 * allocator, which rounds large capacities up.
 */
class JobStatePayloadTest {

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
    ShardJob job = new ShardJob(0, 1, length, 0, length, Sgd.of(0.5), "{}",
        new ConsistencyMode.Sync(), 1);
    return JobState.fresh(job, new float[length]);
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
