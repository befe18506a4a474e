package io.sparkps.ps.client;

import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.ShardRanges;
import io.sparkps.ps.security.TlsFiles;
import io.sparkps.ps.wire.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import javax.net.ssl.SSLSocketFactory;

/**
 * The connections to all shards of a job, the fan-out of one request to every shard (all
 * requests written first, then all replies read, so shards work in parallel without client
 * threads), and the retry of retryable failures per shard (pushes are idempotent by (round,
 * partition), pulls and admin requests by nature). Thread-safe: each connection is locked for a
 * request-reply exchange, always in shard order.
 */
final class ShardSet implements AutoCloseable {
  private final ClientConfig config;
  private final List<ShardConnection> connections = new ArrayList<>();
  private volatile Optional<ShardRanges> ranges = Optional.empty();

  /** A request to one shard: builds the message from (request id) and names its payload. */
  interface Request {
    Message message(long requestId);

    /** What to send after the message; nothing by default. */
    default Payload payload() {
      return FloatSlice.EMPTY;
    }
  }

  ShardSet(ClientConfig config) {
    this.config = config;
    Optional<SSLSocketFactory> tls = config.trustedCertificate()
        .map(TlsFiles::clientSocketFactory);
    for (var a : config.shards()) {
      connections.add(new ShardConnection(a, config, tls));
    }
  }

  ClientConfig config() {
    return config;
  }

  int shardCount() {
    return connections.size();
  }

  ShardConnection connection(int shard) {
    return connections.get(shard);
  }

  /** Sends one request per shard in parallel; returns each shard's parsed reply in shard order. */
  <T> List<T> fanOut(IntFunction<Request> perShard, long timeoutMillis,
      Function<Reply, T> parse) {
    return begin(perShard).finish(timeoutMillis, parse);
  }

  /**
   * Writes one request per shard and returns at once; {@link Exchange#finish}, called by the
   * same thread, reads the replies. Every connection stays locked in between, so that thread
   * must finish (or close this set) before another request; what it does meanwhile overlaps the
   * server's work and the replies' travel. The requests' payload arrays must not change until
   * then: a failed exchange is retried by sending them again.
   */
  Exchange begin(IntFunction<Request> perShard) {
    int n = connections.size();
    Exchange x = new Exchange(perShard, new long[n], new ParameterServerException[n]);
    connections.forEach(c -> c.lock().lock());
    try {
      for (int i = 0; i < n; i++) {
        try {
          x.ids[i] = write(i, perShard.apply(i));
        } catch (ParameterServerException e) {
          x.failed[i] = e;
        }
      }
    } catch (RuntimeException | Error e) {
      // not a refusal of the server (those are retried by finish): no exchange to finish
      connections.forEach(c -> c.lock().unlock());
      throw e;
    }
    return x;
  }

  /** Requests written to every shard by {@link #begin}, their replies not yet read. */
  final class Exchange {
    private final IntFunction<Request> perShard;
    private final long[] ids;
    private final ParameterServerException[] failed;
    private boolean finished;

    private Exchange(IntFunction<Request> perShard, long[] ids,
        ParameterServerException[] failed) {
      this.perShard = perShard;
      this.ids = ids;
      this.failed = failed;
    }

    /**
     * Reads each shard's reply, unlocks the connections and retries the shards whose exchange
     * failed with a retryable error; returns the parsed replies in shard order.
     */
    <T> List<T> finish(long timeoutMillis, Function<Reply, T> parse) {
      if (finished) {
        throw new IllegalStateException("this exchange was finished already");
      }
      finished = true;
      int n = connections.size();
      List<T> out = new ArrayList<>(Arrays.asList(empty(n)));
      try {
        for (int i = 0; i < n; i++) {
          if (failed[i] == null) {
            try {
              out.set(i, parse.apply(connections.get(i).read(ids[i], timeoutMillis)));
            } catch (ParameterServerException e) {
              failed[i] = e;
            }
          }
        }
      } finally {
        connections.forEach(c -> c.lock().unlock());
      }
      for (int i = 0; i < n; i++) {
        if (failed[i] != null) {
          out.set(i, retry(i, perShard.apply(i), timeoutMillis, parse, failed[i]));
        }
      }
      return out;
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T[] empty(int n) {
    return (T[]) new Object[n];
  }

  /** Sends one request to one shard, with retries. */
  <T> T call(int shard, Request request, long timeoutMillis, Function<Reply, T> parse) {
    try {
      return once(shard, request, timeoutMillis, parse);
    } catch (ParameterServerException e) {
      return retry(shard, request, timeoutMillis, parse, e);
    }
  }

  private <T> T once(int shard, Request request, long timeoutMillis, Function<Reply, T> parse) {
    ShardConnection c = connections.get(shard);
    c.lock().lock();
    try {
      long id = write(shard, request);
      return parse.apply(c.read(id, timeoutMillis));
    } finally {
      c.lock().unlock();
    }
  }

  private long write(int shard, Request r) {
    return connections.get(shard).write(r::message, r.payload());
  }

  private <T> T retry(int shard, Request request, long timeoutMillis, Function<Reply, T> parse,
      ParameterServerException first) {
    ParameterServerException last = first;
    for (int attempt = 2; last.retryable() && attempt <= config.retry().maxAttempts();
        attempt++) {
      sleep(config.retry().backoff(attempt).toMillis());
      try {
        return once(shard, request, timeoutMillis, parse);
      } catch (ParameterServerException e) {
        last = e;
      }
    }
    throw last;
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ParameterServerException(ErrorCode.UNAVAILABLE, "interrupted while waiting "
          + "to retry.");
    }
  }

  /** The key ranges of the job, asked of shard 0 once (retrying while it has no job yet). */
  ShardRanges ranges() {
    Optional<ShardRanges> known = ranges;
    if (known.isPresent()) {
      return known.get();
    }
    Message.ShardInfo info = call(0, id -> new Message.Describe(id, 0),
        config.requestTimeout().toMillis(), r -> (Message.ShardInfo) r.header());
    if (info.size() == 0) {
      throw new ParameterServerException(ErrorCode.NOT_INITIALIZED, "shard 0 has no job yet; "
          + "the driver must call init before workers push.");
    }
    return learnRanges(info.size(), info.totalShards());
  }

  /** Records the job's layout, checking it matches the number of addresses. */
  ShardRanges learnRanges(long size, int totalShards) {
    if (totalShards != connections.size()) {
      throw new ParameterServerException(ErrorCode.INVALID_REQUEST, "the job has "
          + totalShards + " shards but this client was given " + connections.size()
          + " addresses; list one address per shard, in shard order.");
    }
    ShardRanges r = new ShardRanges(size, totalShards);
    ranges = Optional.of(r);
    return r;
  }

  /** Aborts every connection without waiting for their locks; see {@link ShardConnection#abort}. */
  void abort() {
    connections.forEach(ShardConnection::abort);
  }

  @Override
  public void close() {
    connections.forEach(ShardConnection::close);
  }
}
