package io.sparkps.ps.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.security.Credentials;
import io.sparkps.ps.wire.Frame;
import io.sparkps.ps.wire.FrameDecoder;
import io.sparkps.ps.wire.FrameException;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.Payloads;
import io.sparkps.ps.wire.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests. The first frame must be a hello with the job's token; anything else
 * is answered with an authentication error and the connection is closed. After that each request
 * is answered with its reply or an error frame naming its request id; frame-level errors (bad
 * magic, version, size, truncation) are answered with an error frame, then the connection closes.
 */
final class RequestHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);
  private final ServerContext server;
  /** Pulls and awaits one connection may have waiting at once (each holds a deadline task). */
  static final int MAX_WAITING = 64;
  private final Set<Registered> waiting = ConcurrentHashMap.newKeySet();
  private boolean authenticated;
  private Credentials.Role role = Credentials.Role.NONE;
  /** The slots of this connection's last keyed pull, for its next push. */
  private final PullMemo pulled = new PullMemo();

  /** A pull or await this connection is waiting on, with its deadline task. */
  private record Registered(Shard shard, ShardWaiter waiter, ScheduledFuture<?> deadline) {}

  RequestHandler(ServerContext server) {
    super(Frame.class, false);
    this.server = server;
  }

  /** A connection must say hello within twice the frame timeout, or it is closed. */
  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long timeout = 2 * server.config().frameTimeoutMillis();
    ctx.executor().schedule(() -> {
      if (!authenticated && ctx.channel().isActive()) {
        failHello(ctx, "no hello arrived within " + timeout + " ms of "
            + "connecting; a client must authenticate first.");
      }
    }, timeout, TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    long requestId = frame.header().requestId();
    try {
      if (authenticated) {
        dispatch(ctx, frame);
      } else {
        hello(ctx, frame.header());
      }
    } catch (ParameterServerException e) {
      replyError(ctx, server, requestId, e.code(), stripCode(e));
    } catch (RuntimeException e) {
      LOG.error("Request {} failed inside the server.", frame.header(), e);
      replyError(ctx, server, requestId, ErrorCode.INTERNAL, "the server failed on "
          + frame.header().getClass().getSimpleName() + ": " + e + "; see the server log.");
    } finally {
      frame.release();
    }
  }

  private void hello(ChannelHandlerContext ctx, Message header) {
    if (!(header instanceof Message.Hello h)) {
      failHello(ctx, "the first frame on a connection must be a hello carrying the job token, "
          + "got " + header.getClass().getSimpleName() + ".");
    } else if (server.config().credentials().roleOf(h.token()) == Credentials.Role.NONE) {
      failHello(ctx, "the job token was refused; pass the token of this job's parameter server "
          + "(its --token-file, or --admin-token-file for admin requests).");
    } else if (h.protocolVersion() != Protocol.VERSION) {
      fail(ctx, ErrorCode.UNSUPPORTED_VERSION, "protocol version " + h.protocolVersion()
          + " is not supported; this server speaks version " + Protocol.VERSION + ".");
    } else {
      authenticated = true;
      role = server.config().credentials().roleOf(h.token());
      FrameDecoder decoder = ctx.pipeline().get(FrameDecoder.class);
      if (decoder != null) {
        decoder.lift();
      }
      int[] hosted = server.service().shards().keySet().stream().mapToInt(i -> i).toArray();
      ctx.writeAndFlush(Frame.of(new Message.HelloOk(Protocol.VERSION, hosted)));
    }
  }

  private void dispatch(ChannelHandlerContext ctx, Frame frame) {
    Message m = frame.header();
    if (role != Credentials.Role.ADMIN && (m instanceof Message.InitShard
        || m instanceof Message.Restore || m instanceof Message.Checkpoint
        || m instanceof Message.Shutdown || m instanceof Message.InitKeyed
        || m instanceof Message.ExportKeyed || m instanceof Message.EndJob)) {
      throw new ParameterServerException(ErrorCode.FORBIDDEN, "a worker token may not send "
          + m.getClass().getSimpleName() + "; connect with the admin token (the server's "
          + "--admin-token-file, a run's --ps-admin-token-file).");
    }
    ShardService svc = server.service();
    if (m instanceof Message.Push p) {
      PushOutcome outcome = svc.push(p, frame);
      server.metrics().push(outcome);
      ctx.writeAndFlush(Frame.of(new Message.PushAck(p.requestId(), outcome.ordinal())));
    } else if (m instanceof Message.PushPull pp) {
      Message.Push p = pp.push();
      server.metrics().push(svc.push(p, frame));
      long round = p.round() + 1;
      await(ctx, svc.shard(p.shardId()), pp, pp.deadlineMillis(),
          "pull of round " + round, round, s -> s.pullReady(round),
          s -> ShardService.params(p.requestId(), s, ctx.alloc()));
    } else if (m instanceof Message.Pull p) {
      long round = p.round();
      await(ctx, svc.shard(p.shardId()), p, p.deadlineMillis(),
          "pull of round " + round, round,
          s -> s.pullReady(round), s -> ShardService.params(p.requestId(), s, ctx.alloc()));
    } else if (m instanceof Message.AwaitVersion a) {
      await(ctx, svc.shard(a.shardId()), a, a.deadlineMillis(),
          "wait for version " + a.version(), a.version(), s -> s.version() >= a.version(),
          s -> Frame.of(new Message.Ack(a.requestId(), s.version())));
    } else if (m instanceof Message.KeyedPush p) {
      PushOutcome outcome = svc.keyed().push(p, frame, pulled);
      server.metrics().push(outcome);
      ctx.writeAndFlush(Frame.of(new Message.PushAck(p.requestId(), outcome.ordinal())));
    } else if (m instanceof Message.KeyedPull p) {
      long[] keys = svc.keyed().pullKeys(p, frame);
      long round = p.round();
      Shard shard = svc.shard(p.shardId());
      await(ctx, shard, p, p.deadlineMillis(), "keyed pull of round " + round, round,
          s -> s.pullReady(round),
          s -> KeyedService.rows(p.requestId(), shard, s, keys, server, ctx.alloc(),
              pulled), true);
    } else if (m instanceof Message.InitKeyed i) {
      svc.keyed().init(i, Payloads.toFloats(frame.payload()));
      LOG.info("Shard {} started a keyed job: rows of {} floats, a tail of {} ({} of {} shards, "
          + "{} partitions).", i.shardId(), i.width(), i.tailLength(), i.shardId(),
          i.totalShards(), i.expectedPartitions());
      ctx.writeAndFlush(Frame.of(new Message.Ack(i.requestId(), 0)));
    } else if (m instanceof Message.InitShard i) {
      svc.init(i, Payloads.toFloats(frame.payload()));
      LOG.info("Shard {} started a job of {} parameters ({} of {} shards, {} partitions).",
          i.shardId(), i.size(), i.shardId(), i.totalShards(), i.expectedPartitions());
      ctx.writeAndFlush(Frame.of(new Message.Ack(i.requestId(), 0)));
    } else {
      new AdminRequests(server).handle(ctx, m);
    }
  }

  private void await(ChannelHandlerContext ctx, Shard shard, Message.JobScoped request,
      long deadlineMillis, String what, long round, Predicate<JobState> ready,
      Function<JobState, Frame> reply) {
    await(ctx, shard, request, deadlineMillis, what, round, ready, reply, false);
  }

  /**
   * Answers {@code request} with {@code reply} once {@code ready}, or with an error at the
   * deadline. With {@code onOwnLoop}, a reply that another connection's request made ready (the
   * last push of a round, on that connection's thread) is built on this connection's event loop
   * instead, under the shard's lock taken anew: the pushing thread acknowledges its push at once
   * rather than after building every waiting pull's rows (a keyed reply looks up and copies each
   * key's row), and the replies of a round's pulls are built on their own threads.
   */
  private void await(ChannelHandlerContext ctx, Shard shard, Message.JobScoped request,
      long deadlineMillis, String what, long round, Predicate<JobState> ready,
      Function<JobState, Frame> reply, boolean onOwnLoop) {
    long requestId = ((Message) request).requestId();
    if (waiting.size() >= MAX_WAITING) {
      throw ShardService.invalid("this connection already has " + waiting.size() + " pulls or "
          + "awaits waiting, the limit; a client waits for one round at a time");
    }
    CompletableFuture<Registered> self = new CompletableFuture<>();
    ShardWaiter w = new ShardWaiter() {
      public boolean ready(JobState s) {
        return ready.test(s);
      }

      public void fire(JobState s) {
        if (onOwnLoop && !ctx.executor().inEventLoop()) {
          ctx.executor().execute(() -> replyLater(ctx, shard, request, reply));
        } else {
          ctx.writeAndFlush(reply.apply(s));
        }
        forget();
      }

      public long jobId() {
        return request.jobId();
      }

      public void failed(ParameterServerException e) {
        replyError(ctx, server, requestId, e.code(), stripCode(e));
        forget();
      }

      private void forget() {
        self.thenAccept(r -> {
          waiting.remove(r);
          r.deadline().cancel(false);
        });
      }
    };
    if (shard.whenReady(w)) {
      return;
    }
    ScheduledFuture<?> deadline = ctx.executor().schedule(() -> {
      if (shard.cancel(w)) {
        replyError(ctx, server, requestId, ErrorCode.DEADLINE_EXCEEDED, what + " expired after "
            + deadlineMillis + " ms: " + shard.waitingFor(round) + ". Restart the missing "
            + "partitions' tasks or raise the deadline.");
      }
    }, Math.max(0, deadlineMillis), TimeUnit.MILLISECONDS);
    Registered reg = new Registered(shard, w, deadline);
    waiting.add(reg);
    self.complete(reg);
  }

  /**
   * The reply of a ready request built now, on this connection's loop, from the shard's job as it
   * is (in sync mode still the round that made it ready: the next needs this client's push; in
   * ssp and async a later version, which the request's readiness also accepts).
   */
  private void replyLater(ChannelHandlerContext ctx, Shard shard, Message.JobScoped request,
      Function<JobState, Frame> reply) {
    try {
      ctx.writeAndFlush(shard.replyNow(request.jobId(), reply));
    } catch (ParameterServerException e) {
      replyError(ctx, server, ((Message) request).requestId(), e.code(), stripCode(e));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (Registered r : waiting) {
      r.shard().cancel(r.waiter());
      r.deadline().cancel(false);
    }
    waiting.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null
        ? cause.getCause() : cause;
    if (c instanceof FrameException f) {
      fail(ctx, f.code(), f.getMessage(), f.peerVersion());
    } else if (c instanceof IOException) {
      LOG.debug("Connection {} closed: {}", ctx.channel().remoteAddress(), c.toString());
      ctx.close();
    } else {
      LOG.warn("Connection {} failed; closing it.", ctx.channel().remoteAddress(), c);
      fail(ctx, ErrorCode.MALFORMED_FRAME, "the connection failed: " + c + ".");
    }
  }

  /** Refuses a hello: counted against the remote address (see {@link HelloThrottle}). */
  private void failHello(ChannelHandlerContext ctx, String message) {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
      server.throttle().failed(a.getAddress());
    }
    fail(ctx, ErrorCode.AUTH_FAILED, message);
  }

  /**
   * Closes an authenticated connection that sent nothing for the idle timeout and waits for no
   * reply (a client reconnects on its next call).
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && authenticated && waiting.isEmpty()) {
      LOG.info("Closing connection {}: idle for {} ms.", ctx.channel().remoteAddress(),
          server.config().limits().idleMillis());
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  /** Answers with a connection-level error and closes the connection. */
  private void fail(ChannelHandlerContext ctx, ErrorCode code, String message) {
    fail(ctx, code, message, Protocol.VERSION);
  }

  /** As above, in a frame of the peer's protocol version (a refused version reads its refusal). */
  private void fail(ChannelHandlerContext ctx, ErrorCode code, String message, int peerVersion) {
    server.metrics().error(code);
    LOG.info("Closing connection {}: {} {}", ctx.channel().remoteAddress(), code, message);
    ctx.writeAndFlush(Frame.of(new Message.Error(0, code.wireCode(), code.retryable(), message))
        .stampedFor(peerVersion)).addListener(ChannelFutureListener.CLOSE);
  }

  /** Answers one request with an error; the connection stays open. */
  static void replyError(ChannelHandlerContext ctx, ServerContext server, long requestId,
      ErrorCode code, String message) {
    server.metrics().error(code);
    ctx.writeAndFlush(Frame.of(new Message.Error(requestId, code.wireCode(), code.retryable(),
        message)));
  }

  static String stripCode(ParameterServerException e) {
    String prefix = e.code() + ": ";
    String msg = e.getMessage();
    return msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
  }
}
