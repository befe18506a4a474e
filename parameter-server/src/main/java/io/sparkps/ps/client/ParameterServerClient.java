package io.sparkps.ps.client;

import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.GradientPush;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.api.ShardRanges;
import io.sparkps.ps.wire.Message;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * What a worker needs: pull the parameters a round starts from, push what it computed. One
 * instance per worker task; thread-safe, but a worker normally alternates pull and push.
 *
 * <p>Round lifecycle: {@code pull(r)} (waits until the server may start round r: version r in
 * sync mode, r - s in ssp, at once in async), compute, {@code push(GradientPush(r, ...))}, then
 * {@code pull(r + 1)}; or, in one round trip, {@code pushAndPull(GradientPush(r, ...))} which
 * returns the parameters of round r + 1. A retried task may push the same (round, partition)
 * again: it is acknowledged as {@link PushOutcome#DUPLICATE} and not counted.
 *
 * <p>The client is blocking: the calling thread writes each shard's request, then reads each
 * reply, over one plain (or TLS) socket per shard.
 */
public final class ParameterServerClient implements AutoCloseable {
  private final ShardSet shards;

  private ParameterServerClient(ShardSet shards) {
    this.shards = shards;
  }

  /** A client for the shards of {@code config}; connections open on first use. */
  public static ParameterServerClient connect(ClientConfig config) {
    return new ParameterServerClient(new ShardSet(config));
  }

  /** The parameters to start round {@code round} from; see {@link #pullVersioned(long)}. */
  public float[] pull(long round) {
    return pullVersioned(round).values();
  }

  /**
   * Waits (up to the pull deadline) until the server may start round {@code round}, then returns
   * the parameters and their version. A deadline error names the partitions still missing.
   */
  public Parameters pullVersioned(long round) {
    return pullAll(shards, round, shards.config().pullDeadline().toMillis());
  }

  static Parameters pullAll(ShardSet shards, long round, long deadlineMillis) {
    long timeout = deadlineMillis + shards.config().requestTimeout().toMillis();
    float[][] out = {new float[0]};
    List<Long> versions = shards.fanOut(i -> id -> new Message.Pull(id, shards.config().jobId(), i,
        round, deadlineMillis), timeout, f -> {
          Message.Params p = (Message.Params) f.header();
          checkLayout(p, shards.shardCount(), f.payload().remaining());
          if (out[0].length != p.size()) {
            out[0] = new float[(int) p.size()];
            shards.learnRanges(p.size(), shards.shardCount());
          }
          FloatBuffer floats = f.payload();
          floats.get(out[0], p.start(), floats.remaining());
          return p.version();
        });
    long version = versions.stream().mapToLong(Long::longValue).min().orElse(0);
    return new Parameters(version, out[0]);
  }

  /**
   * Sends {@code push} to every shard, each its key range. Returns {@link PushOutcome#DUPLICATE}
   * if every shard had counted it already, {@link PushOutcome#ACCEPTED} otherwise.
   */
  public PushOutcome push(GradientPush push) {
    ShardRanges r = rangesFor(push);
    List<Integer> outcomes = shards.fanOut(i -> new ShardSet.Request() {
      public Message message(long id) {
        return pushMessage(id, shards.config().jobId(), i, push);
      }

      public FloatSlice payload() {
        return new FloatSlice(push.payload(), r.start(i), r.length(i));
      }
    }, shards.config().requestTimeout().toMillis(), ParameterServerClient::outcome);
    boolean allDuplicate = outcomes.stream().allMatch(o -> o == PushOutcome.DUPLICATE.ordinal());
    return allDuplicate ? PushOutcome.DUPLICATE : PushOutcome.ACCEPTED;
  }

  /**
   * {@link #push} then {@link #pull} of {@code push.round() + 1} in one round trip per shard: the
   * server answers the push with the parameters once the next round may start. A duplicate push
   * is acknowledged the same way. The fast path of a worker's loop.
   */
  public float[] pushAndPull(GradientPush push) {
    return pushAndPull(push, new float[(int) rangesFor(push).size()]);
  }

  /**
   * {@link #pushAndPull(GradientPush)} into {@code into} (one float per parameter, not the push's
   * payload) instead of a new array; returns {@code into}. A worker that passes back the array it
   * computed from allocates nothing per round (with 10M parameters, 40 MB).
   */
  public float[] pushAndPull(GradientPush push, float[] into) {
    return pushThenPull(push, into).await();
  }

  /**
   * The first half of {@link #pushAndPull(GradientPush, float[])}: sends the push to every shard
   * and returns at once, so the caller can compute while the server waits for the round's other
   * pushes; {@link PendingPull#await()} then reads the parameters of round {@code push.round() +
   * 1} into {@code into}. Until then this client takes no other call, and neither the push's
   * payload nor {@code into} may change (a failed exchange is retried by sending the push again).
   */
  public PendingPull pushThenPull(GradientPush push, float[] into) {
    ShardRanges r = rangesFor(push);
    if (into.length != r.size() || into == push.payload()) {
      throw new IllegalArgumentException("pushAndPull needs an array of one float per parameter ("
          + r.size() + ") other than the push's payload to pull into, got "
          + (into == push.payload() ? "the payload" : into.length + " floats") + ".");
    }
    long deadline = shards.config().pullDeadline().toMillis();
    ShardSet.Exchange x = shards.begin(i -> new ShardSet.Request() {
      public Message message(long id) {
        return new Message.PushPull(pushMessage(id, shards.config().jobId(), i, push), deadline);
      }

      public FloatSlice payload() {
        return new FloatSlice(push.payload(), r.start(i), r.length(i));
      }
    });
    long timeout = deadline + shards.config().requestTimeout().toMillis();
    return () -> {
      x.finish(timeout, f -> {
        Message.Params p = (Message.Params) f.header();
        FloatBuffer floats = f.payload();
        floats.get(into, p.start(), floats.remaining());
        return p.version();
      });
      return into;
    };
  }

  /** A push sent by {@link #pushThenPull}, whose reply (the next round's parameters) is unread. */
  @FunctionalInterface
  public interface PendingPull {
    /**
     * Waits (up to the pull deadline) for the parameters of the push's next round, reads them
     * into the array given to {@link #pushThenPull} and returns it. Call once.
     */
    float[] await();
  }

  private ShardRanges rangesFor(GradientPush push) {
    ShardRanges r = shards.ranges();
    if (push.payload().length != r.size()) {
      throw new IllegalArgumentException("push payload must have one float per parameter: "
          + "expected " + r.size() + ", got " + push.payload().length + " (round "
          + push.round() + ", partition " + push.partition() + ").");
    }
    return r;
  }

  private static Message.Push pushMessage(long id, long jobId, int shard, GradientPush push) {
    return new Message.Push(id, jobId, shard, push.round(), push.partition(), push.attempt(),
        push.examples(), push.lossSum(), push.kind().ordinal());
  }

  /**
   * Checks a reply's layout before anything is allocated for it: the size the server names must
   * be one whose range for this shard is exactly the floats that arrived, so a broken or hostile
   * reply can never make the client allocate more than the shards' replies hold.
   */
  static void checkLayout(Message.Params p, int shardCount, int floats) {
    int shard = p.shardId();
    boolean ok = p.size() >= 1 && p.size() <= Integer.MAX_VALUE - 8 && shard >= 0
        && shard < shardCount;
    if (ok) {
      ShardRanges r = new ShardRanges(p.size(), shardCount);
      ok = r.start(shard) == p.start() && r.length(shard) == floats;
    }
    if (!ok) {
      throw new ParameterServerException(ErrorCode.INTERNAL, "a reply names shard " + shard
          + ", size " + p.size() + " and start " + p.start() + " and carries " + floats
          + " floats, which is not a shard's range among " + shardCount + " shards; the server "
          + "is not the one this client was configured for.");
    }
  }

  private static int outcome(Reply f) {
    return ((Message.PushAck) f.header()).outcome();
  }

  /** Number of shards this client talks to. */
  public int shardCount() {
    return shards.shardCount();
  }

  /**
   * Makes the call in flight, if any, and every later call fail at once with
   * {@link io.sparkps.ps.api.ErrorCode#ABORTED} (never retried): closes the shard sockets without
   * waiting for the call to finish. For another thread than the caller's, for example when Spark
   * kills the task this client works for while it waits in a pull (a blocking socket read does
   * not respond to thread interrupts). {@link #close()} is still needed afterwards.
   */
  public void abort() {
    shards.abort();
  }

  @Override
  public void close() {
    shards.close();
  }
}
