package io.sparkps.ps.server;

import io.netty.channel.ChannelHandlerContext;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.checkpoint.CheckpointStore;
import io.sparkps.ps.checkpoint.ShardCheckpoint;
import io.sparkps.ps.wire.Frame;
import io.sparkps.ps.wire.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The driver's requests: describe, checkpoint, restore, export, history, end job, shutdown. */
final class AdminRequests {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      AdminRequests.class);
  private final ServerContext server;

  AdminRequests(ServerContext server) {
    this.server = server;
  }

  void handle(ChannelHandlerContext ctx, Message m) {
    ShardService svc = server.service();
    if (m instanceof Message.Describe d) {
      ctx.writeAndFlush(Frame.of(svc.describe(d)));
    } else if (m instanceof Message.Checkpoint c) {
      Shard shard = svc.shard(c.shardId());
      shard.job(c.jobId()); // another job's request is refused before anything else
      store();
      reply(ctx, c.requestId(), shard.checkpointAt(c.jobId(), c.version()), storageFailed());
    } else if (m instanceof Message.Restore r) {
      CheckpointStore store = store();
      svc.shard(r.shardId());
      reply(ctx, r.requestId(), CompletableFuture.supplyAsync(() -> {
        ShardCheckpoint c = latest(store, r.shardId()).orElseThrow(() -> ShardService.invalid(
            "there is no checkpoint of shard " + r.shardId() + " under " + store.dir()));
        svc.restore(c, r.jobId());
        return c.version();
      }, server.storage()), storageFailed());
    } else if (m instanceof Message.ExportKeyed x) {
      Shard shard = svc.shard(x.shardId());
      shard.keyedJob(x.jobId()); // another job's or a dense job's request is refused first
      java.net.URI dir = modelDir(x.directory());
      reply(ctx, x.requestId(), CompletableFuture.supplyAsync(() -> {
        try {
          return shard.export(x.jobId(), dir);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, server.storage()), "the export to " + dir + " failed");
    } else if (m instanceof Message.History h) {
      ctx.writeAndFlush(Frame.of(new Message.HistoryReply(h.requestId(),
          svc.shard(h.shardId()).history(h.jobId(), h.fromRound()))));
    } else if (m instanceof Message.EndJob e) {
      long version = svc.shard(e.shardId()).end(e.jobId());
      if (version >= 0) {
        LOG.info("Shard {} ended job {} at version {}.", e.shardId(),
            io.sparkps.ps.api.JobIds.format(e.jobId()), version);
      }
      ctx.writeAndFlush(Frame.of(new Message.Ack(e.requestId(), version)));
    } else if (m instanceof Message.Shutdown s) {
      ctx.writeAndFlush(Frame.of(new Message.Ack(s.requestId(), 0)));
      Thread t = new Thread(server.shutdown(), "sparkps-ps-shutdown");
      t.setDaemon(false);
      t.start();
    } else {
      throw ShardService.invalid("a client may not send " + m.getClass().getSimpleName()
          + " to the server");
    }
  }

  private static Optional<ShardCheckpoint> latest(CheckpointStore store, int shardId) {
    try {
      return store.newestCommon(shardId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CheckpointStore store() {
    return server.store().orElseThrow(() -> ShardService.invalid("this server has no "
        + "checkpoint directory; start it with --checkpoint-dir"));
  }

  private String storageFailed() {
    return "checkpoint storage failed";
  }

  /** The export directory as a URI: absolute, with a scheme (file:, hdfs:, s3a:). */
  private static java.net.URI modelDir(String directory) {
    try {
      java.net.URI u = new java.net.URI(directory);
      if (u.getScheme() == null || !u.isAbsolute()) {
        throw new java.net.URISyntaxException(directory, "it has no scheme");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw ShardService.invalid("the export directory " + directory + " is not an absolute "
          + "URI (" + e.getReason() + "); give one with its scheme, such as "
          + "file:///models/ctr or hdfs://namenode/models/ctr");
    }
  }

  private void reply(ChannelHandlerContext ctx, long requestId, CompletableFuture<Long> f,
      String failure) {
    f.whenComplete((version, err) -> {
      if (err == null) {
        ctx.writeAndFlush(Frame.of(new Message.Ack(requestId, version)));
        return;
      }
      Throwable c = err instanceof CompletionException && err.getCause() != null
          ? err.getCause() : err;
      if (c instanceof ParameterServerException p) {
        RequestHandler.replyError(ctx, server, requestId, p.code(), RequestHandler.stripCode(p));
      } else {
        RequestHandler.replyError(ctx, server, requestId, ErrorCode.STORAGE_FAILED,
            failure + ": " + c + "; check the directory" + server.store().map(s -> " "
            + s.dir()).filter(s -> failure.startsWith("checkpoint")).orElse("") + ".");
      }
    });
  }
}
