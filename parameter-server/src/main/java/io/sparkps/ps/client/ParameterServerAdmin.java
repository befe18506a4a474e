package io.sparkps.ps.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.OptimizerJson;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.api.ShardRanges;
import io.sparkps.ps.keyed.SparseRuleJson;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.Protocol;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the driver needs: start a job on every shard, follow its rounds, checkpoint and restore
 * it, read its per-round history, stop the servers. Workers use {@link ParameterServerClient}.
 */
public final class ParameterServerAdmin implements AutoCloseable {
  private static final int CHECKPOINT_TRIES = 5;
  private final ShardSet shards;
  private final OptimizerJson json = new OptimizerJson();

  private ParameterServerAdmin(ShardSet shards) {
    this.shards = shards;
  }

  public static ParameterServerAdmin connect(ClientConfig config) {
    return new ParameterServerAdmin(new ShardSet(config));
  }

  /**
   * Starts {@code job} on every shard at version 0 as this client's job id. A shard that runs
   * another job refuses it ({@code WRONG_JOB}): use {@link #replace} to overwrite a running job.
   * Sending the same job id again restarts this job.
   */
  public void init(JobSpec job) {
    init(job, false);
  }

  /** As {@link #init}, replacing whatever job the shards run (an explicit admin decision). */
  public void replace(JobSpec job) {
    init(job, true);
  }

  private void init(JobSpec job, boolean replace) {
    ShardRanges r = new ShardRanges(job.size(), shards.shardCount());
    String optimizer = json.write(job.optimizer());
    shards.fanOut(i -> new ShardSet.Request() {
      public Message message(long id) {
        return initMessage(id, i, job, optimizer, replace);
      }

      public FloatSlice payload() {
        return job.initial() instanceof InitialValues.Values v
            ? new FloatSlice(v.values(), r.start(i), r.length(i)) : FloatSlice.EMPTY;
      }
    }, timeout(), f -> ack(f));
    shards.learnRanges(job.size(), shards.shardCount());
  }

  private Message initMessage(long id, int shard, JobSpec job, String optimizer,
      boolean replace) {
    int kind = 0;
    long seed = 0;
    float scale = 0;
    if (job.initial() instanceof InitialValues.Seeded s) {
      kind = 1;
      seed = s.seed();
      scale = s.scale();
    } else if (job.initial() instanceof InitialValues.Values) {
      kind = 2;
    }
    return new Message.InitShard(id, jobId(), replace, shard, shards.shardCount(), job.size(),
        optimizer,
        job.mode().wireCode(), job.mode().staleness(), job.expectedPartitions(), kind, seed,
        scale);
  }

  /**
   * Starts the keyed job {@code job} on every shard at version 0 as this client's job id: each
   * shard gets the job's declaration and its slice of the dense tail's initial values. A shard
   * that runs another job refuses it ({@code WRONG_JOB}): use {@link #replaceKeyed}.
   */
  public void initKeyed(KeyedJobSpec job) {
    initKeyed(job, false);
  }

  /** As {@link #initKeyed}, replacing whatever job the shards run. */
  public void replaceKeyed(KeyedJobSpec job) {
    initKeyed(job, true);
  }

  private void initKeyed(KeyedJobSpec job, boolean replace) {
    String rule = SparseRuleJson.write(job.rule());
    String model = job.model().map(ParameterServerAdmin::modelJson).orElse("");
    String tailOpt = json.write(job.tailOptimizer());
    int n = shards.shardCount();
    shards.fanOut(i -> new ShardSet.Request() {
      public Message message(long id) {
        return new Message.InitKeyed(id, jobId(), replace, i, n, job.width(), rule, model,
            job.initSeed(), job.shardingSeed(), job.maxTableBytes(), job.tailLength(), tailOpt,
            job.mode().wireCode(), job.mode().staleness(), job.expectedPartitions());
      }

      public FloatSlice payload() {
        int start = KeyedJobSpec.tailStart(i, n, job.tailLength());
        return new FloatSlice(job.tailInitial(), start,
            KeyedJobSpec.tailStart(i + 1, n, job.tailLength()) - start);
      }
    }, timeout(), f -> ack(f));
  }

  /**
   * Makes every shard of the keyed job write its table's weights and its tail slice as a part
   * file into the model directory {@code modelDir} (an absolute Hadoop URI, {@code file:},
   * {@code hdfs:} ...), each atomically and in bounded memory, while its table stays unchanged
   * (call it between rounds, or after the last). Waits up to {@code timeout}; returns the keys
   * written over all shards. {@link io.sparkps.ps.keyed.WeightsFileReader} reads a part.
   */
  public long exportKeyed(URI modelDir, Duration timeout) {
    String dir = modelDir.toString();
    return shards.fanOut(i -> id -> new Message.ExportKeyed(id, jobId(), i, dir),
        timeout.toMillis(), ParameterServerAdmin::ack).stream().mapToLong(Long::longValue).sum();
  }

  private static String modelJson(ModelSpec spec) {
    try {
      return new ObjectMapper().writerFor(ModelSpec.class).writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("model " + spec.name() + " cannot be written as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /** Waits until every shard has published {@code version}; returns the smallest version. */
  public long awaitRound(long version, Duration timeout) {
    long ms = timeout.toMillis();
    return shards.fanOut(i -> id -> new Message.AwaitVersion(id, jobId(), i, version, ms),
        ms + timeout(), ParameterServerAdmin::ack).stream().mapToLong(Long::longValue).min()
        .orElse(0);
  }

  /** The current parameters of all shards, without waiting. */
  public Parameters snapshot() {
    return ParameterServerClient.pullAll(shards, 0, 0);
  }

  /**
   * Checkpoints every shard at one version (sync mode: the newest version any shard has; a shard
   * one round behind writes when it gets there). Returns that version.
   */
  public long checkpoint() {
    for (int attempt = 1; ; attempt++) {
      long target = describe().stream().mapToLong(ShardStatus::version).max().orElse(0);
      try {
        shards.fanOut(i -> id -> new Message.Checkpoint(id, jobId(), i, target),
            shards.config().pullDeadline().toMillis() + timeout(), ParameterServerAdmin::ack);
        return target;
      } catch (ParameterServerException e) {
        if (e.code() != ErrorCode.VERSION_PASSED || attempt >= CHECKPOINT_TRIES) {
          throw e;
        }
      }
    }
  }

  /**
   * Loads every shard's latest checkpoint as this client's job, replacing what the shards ran
   * (an explicit admin decision); returns the version they continue from.
   */
  public long restore() {
    List<Long> versions = shards.fanOut(i -> id -> new Message.Restore(id, jobId(), i), timeout(),
        ParameterServerAdmin::ack);
    if (versions.stream().distinct().count() != 1) {
      throw new ParameterServerException(ErrorCode.STORAGE_FAILED, "shards restored different "
          + "versions " + versions + "; their latest checkpoints are not from one round. "
          + "Checkpoint through ParameterServerAdmin.checkpoint() so all shards agree.");
    }
    return versions.get(0);
  }

  /** What each shard holds, in shard order. */
  public List<ShardStatus> describe() {
    return shards.fanOut(i -> id -> new Message.Describe(id, i), timeout(), f -> {
      Message.ShardInfo m = (Message.ShardInfo) f.header();
      return new ShardStatus(m.shardId(), m.totalShards(), m.size(), m.version(),
          ConsistencyMode.fromWire(m.modeCode(), m.staleness()), m.expectedPartitions(),
          m.jobId());
    });
  }

  /** The per-round statistics of shard 0 from {@code fromRound} on. */
  public List<RoundStats> history(long fromRound) {
    return history(0, fromRound);
  }

  /**
   * The per-round statistics of one shard from {@code fromRound} on; asks page by page (a
   * reply carries at most {@link Protocol#HISTORY_PAGE_ROUNDS} rounds).
   */
  public List<RoundStats> history(int shard, long fromRound) {
    List<RoundStats> all = new java.util.ArrayList<>();
    long from = fromRound;
    while (true) {
      long at = from;
      List<RoundStats> page = shards.call(shard, id -> new Message.History(id, jobId(), shard, at),
          timeout(), f -> ((Message.HistoryReply) f.header()).rounds());
      all.addAll(page);
      if (page.size() < Protocol.HISTORY_PAGE_ROUNDS) {
        return all;
      }
      from = page.get(page.size() - 1).round() + 1;
    }
  }

  /**
   * The per-round statistics of a keyed job from {@code fromRound} on: shard 0's rounds with
   * their {@link io.sparkps.ps.api.KeyedRoundStats} summed over every shard (keys pulled, pushed
   * and updated, bytes, table keys and bytes of the whole model). Rounds some shard has not
   * completed yet are left out.
   */
  public List<RoundStats> keyedHistory(long fromRound) {
    List<RoundStats> base = history(0, fromRound);
    java.util.Map<Long, io.sparkps.ps.api.KeyedRoundStats> sums = new java.util.HashMap<>();
    java.util.Map<Long, Integer> seen = new java.util.HashMap<>();
    for (int s = 0; s < shards.shardCount(); s++) {
      for (RoundStats r : history(s, fromRound)) {
        sums.merge(r.round(), r.keyed(), io.sparkps.ps.api.KeyedRoundStats::plus);
        seen.merge(r.round(), 1, Integer::sum);
      }
    }
    return base.stream().filter(r -> seen.getOrDefault(r.round(), 0) == shards.shardCount())
        .map(r -> r.withKeyed(sums.get(r.round()))).toList();
  }

  /**
   * Ends this client's job on every shard once its run has finished: the shards drop its state,
   * so the next run against the same server processes starts without replacing it. Returns each
   * shard's version at the end (-1 where a shard held no job); a shard running another job
   * refuses ({@code WRONG_JOB}).
   */
  public List<Long> endJob() {
    return shards.fanOut(i -> id -> new Message.EndJob(id, jobId(), i), timeout(),
        ParameterServerAdmin::ack);
  }

  /** Asks every server process to stop after its round in flight. */
  public void shutdown() {
    Set<InetSocketAddress> done = new HashSet<>();
    for (int i = 0; i < shards.shardCount(); i++) {
      if (done.add(shards.connection(i).address())) {
        shards.call(i, id -> new Message.Shutdown(id), timeout(), ParameterServerAdmin::ack);
      }
    }
  }

  private long jobId() {
    return shards.config().jobId();
  }

  private long timeout() {
    return shards.config().requestTimeout().toMillis();
  }

  private static long ack(Reply f) {
    return ((Message.Ack) f.header()).value();
  }

  /**
   * Aborts every connection at once, from any thread: a call blocked on a reply (an
   * {@link #awaitRound} on a shard that restarted at an older version, say) fails with
   * {@code ABORTED} instead of waiting for its deadline. The admin cannot be used afterwards.
   */
  public void abort() {
    shards.abort();
  }

  @Override
  public void close() {
    shards.close();
  }
}
