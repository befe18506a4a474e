package io.sparkps.ps.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.checkpoint.CheckpointStore;
import io.sparkps.ps.checkpoint.ShardCheckpoint;
import io.sparkps.ps.metrics.MetricsEndpoint;
import io.sparkps.ps.metrics.ServerMetrics;
import io.sparkps.ps.security.TlsIdentity;
import io.sparkps.ps.wire.FrameDecoder;
import io.sparkps.ps.wire.FrameEncoder;
import io.sparkps.ps.wire.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parameter-server process: the shards of {@link ServerConfig#shardIds()} behind one port.
 * Lifecycle: {@link #start(ServerConfig)}, then {@link #stop()} (drains the round in flight and
 * writes a last checkpoint) or {@link #kill()} (drops everything, as a crash would), and
 * {@link #blockUntilShutdown()} to wait for either.
 */
public final class ParameterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ParameterServer.class);
  /** Socket buffers and largest single read: a 100k-float frame moves in one or two reads. */
  static final int SOCKET_BUFFER = 1 << 20;
  /**
   * Socket reads between frames (and on TLS connections): sized by Netty's adaptive guess, up to
   * the socket buffer. The rest of a frame that has started is read into the frame's own buffer
   * instead (see {@link FrameDecoder#receiveInto}).
   */
  private static final AdaptiveRecvByteBufAllocator RECEIVE =
      new AdaptiveRecvByteBufAllocator(512, 64 * 1024, SOCKET_BUFFER);
  /**
   * Pooled direct buffers aligned to 64 bytes. The kernel copies socket data to and from user
   * memory about three times faster when that memory is 32-byte aligned (measured on loopback:
   * a 400 KB echo takes 0.16 ms between aligned buffers and 0.46 ms between buffers at 16 mod 64,
   * which is where Netty's default pool, carved from malloc'ed chunks, puts them).
   */
  static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true,
      PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
      PooledByteBufAllocator.defaultPageSize(), PooledByteBufAllocator.defaultMaxOrder(),
      PooledByteBufAllocator.defaultSmallCacheSize(),
      PooledByteBufAllocator.defaultNormalCacheSize(),
      PooledByteBufAllocator.defaultUseCacheForAllThreads(), 64);
  private final ServerConfig config;
  private final ServerContext context;
  private final EventLoopGroup boss = new NioEventLoopGroup(1);
  private final EventLoopGroup workers = new NioEventLoopGroup(
      Math.max(2, Runtime.getRuntime().availableProcessors()));
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final CountDownLatch terminated = new CountDownLatch(1);
  private Channel listener;
  private Optional<MetricsEndpoint> metricsEndpoint = Optional.empty();
  private boolean stopped;

  private ParameterServer(ServerConfig config) {
    this.config = config;
    ServerMetrics metrics = new ServerMetrics();
    Optional<CheckpointStore> store = config.checkpointDir().map(CheckpointStore::new);
    ExecutorService storage = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "sparkps-ps-storage");
      t.setDaemon(true);
      return t;
    });
    ShardEvents events = new Events(metrics, store, storage);
    Map<Integer, Shard> shards = new LinkedHashMap<>();
    for (int id : config.shardIds()) {
      shards.put(id, new Shard(id, events, config.checkpointEvery()));
    }
    this.context = new ServerContext(config, new ShardService(Map.copyOf(shards),
        config.maxFrameBytes()), metrics,
        store, storage, this::stop,
        new HelloThrottle(config.limits(), System::currentTimeMillis));
  }

  /** Binds the port, restores checkpoints if asked, starts the metrics endpoint. */
  public static ParameterServer start(ServerConfig config) throws IOException {
    ParameterServer server = new ParameterServer(config);
    try {
      server.restoreOnStart();
      server.bind();
      return server;
    } catch (IOException | RuntimeException e) {
      server.kill();
      throw e;
    }
  }

  private void restoreOnStart() throws IOException {
    if (!config.restoreOnStart() || context.store().isEmpty()) {
      return;
    }
    for (int id : config.shardIds()) {
      Optional<ShardCheckpoint> c = context.store().get().newestCommon(id);
      if (c.isPresent()) {
        context.service().restore(c.get(), 0); // claimed by the admin's restore only
        LOG.info("Shard {} restored at version {}.", id, c.get().version());
      }
    }
  }

  private void bind() throws IOException {
    Optional<SslContext> ssl = config.tls().map(TlsIdentity::serverContext);
    ServerBootstrap b = new ServerBootstrap().group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
        .childOption(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ConnectionGate.refused(ch, connections.size(), context, ssl)) {
              return;
            }
            connections.add(ch);
            ChannelPipeline p = ch.pipeline();
            p.addLast(new IdleStateHandler(config.limits().idleMillis(), 0, 0,
                TimeUnit.MILLISECONDS));
            ssl.ifPresent(s -> p.addLast(s.newHandler(ch.alloc())));
            FrameDecoder decoder = new FrameDecoder(config.maxFrameBytes(),
                config.frameTimeoutMillis(), context.metrics())
                .limitTo(Protocol.MAX_HELLO_FRAME_BYTES);
            if (ssl.isEmpty()) {
              ch.config().setRecvByteBufAllocator(decoder.receiveInto(RECEIVE));
            }
            p.addLast(decoder);
            p.addLast(new FrameEncoder(context.metrics()));
            p.addLast(new RequestHandler(context));
          }
        });
    try {
      listener = b.bind(new InetSocketAddress(config.bindHost(), config.port())).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding port " + config.port() + ".", e);
    }
    if (config.metricsPort().isPresent()) {
      metricsEndpoint = Optional.of(MetricsEndpoint.start(config.metricsHost(),
          config.metricsPort().get(), context.metrics()));
    }
    LOG.info("Parameter server listening on {}:{} for shards {}{}.", config.bindHost(), port(),
        config.shardIds(), config.tls().isPresent() ? " (TLS)" : "");
    if (config.credentials().shared()) {
      LOG.warn("One token grants worker and admin requests: any worker may init, restore or "
          + "stop this server. Give an admin token (--admin-token-file) to separate them.");
    }
  }

  /** The port the server listens on. */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The metrics HTTP port, if metrics are served. */
  public Optional<Integer> metricsPort() {
    return metricsEndpoint.map(MetricsEndpoint::port);
  }

  public ServerMetrics metrics() {
    return context.metrics();
  }

  /**
   * Stops after the round in flight: pushes for later rounds are refused (retryable), the round
   * in flight may complete for up to {@link ServerConfig#drainMillis()}, a last checkpoint is
   * written if a directory is set, then connections close.
   */
  public void stop() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    drain();
    finalCheckpoint();
    closeAll();
  }

  private void drain() {
    var shards = context.service().shards().values();
    shards.forEach(Shard::beginDrain);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.drainMillis());
    while (!shards.stream().allMatch(Shard::drained) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void finalCheckpoint() {
    if (context.store().isEmpty()) {
      return;
    }
    for (Shard s : context.service().shards().values()) {
      if (s.job().isPresent()) {
        try {
          s.checkpointAt(s.version()).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.error("The last checkpoint of shard {} failed.", s.id(), e);
        }
      }
    }
  }

  /** Stops at once, as a crash would: no drain, no checkpoint. */
  public void kill() {
    synchronized (this) {
      stopped = true;
    }
    context.storage().shutdownNow();
    closeAll();
  }

  private void closeAll() {
    metricsEndpoint.ifPresent(MetricsEndpoint::close);
    if (listener != null) {
      listener.close().awaitUninterruptibly();
    }
    connections.close().awaitUninterruptibly();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    context.service().shards().values().forEach(Shard::releaseBuffers);
    context.storage().shutdown();
    try {
      context.storage().awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    terminated.countDown();
    LOG.info("Parameter server for shards {} stopped.", config.shardIds());
  }

  /** Waits until the server has stopped. */
  public void blockUntilShutdown() throws InterruptedException {
    terminated.await();
  }

  @Override
  public void close() {
    stop();
  }

  /** Connects shards to metrics and checkpoint storage. */
  private record Events(
      ServerMetrics metrics, Optional<CheckpointStore> store, ExecutorService storage)
      implements ShardEvents {
    public void published(int shardId, RoundStats stats) {
      metrics.round(shardId, stats);
    }

    public CompletableFuture<Long> write(ShardCheckpoint c) {
      if (store.isEmpty()) {
        return CompletableFuture.failedFuture(new IllegalStateException("no checkpoint dir."));
      }
      return CompletableFuture.supplyAsync(() -> {
        try {
          store.get().write(c);
          return c.version();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, storage);
    }

    public CompletableFuture<Long> writeNow(ShardCheckpoint c) {
      if (store.isEmpty()) {
        return CompletableFuture.failedFuture(new IllegalStateException("no checkpoint dir."));
      }
      try {
        long t0 = System.nanoTime();
        store.get().write(c);
        LOG.info("Shard {} wrote its keyed checkpoint of version {} ({} keys) in {} ms.",
            c.shardId(), c.version(), c.keyed().map(k -> k.table().size()).orElse(0),
            (System.nanoTime() - t0) / 1_000_000);
        return CompletableFuture.completedFuture(c.version());
      } catch (IOException | RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }
}
