package io.sparkps.ps.server;

import io.sparkps.ps.checkpoint.CheckpointStore;
import io.sparkps.ps.metrics.ServerMetrics;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * What every connection of one server shares.
 *
 * @param storage runs checkpoint reads and writes, off the network threads
 * @param shutdown stops the server after the round in flight (runs on its own thread)
 * @param throttle failed hellos per remote address
 */
record ServerContext(
    ServerConfig config, ShardService service, ServerMetrics metrics,
    Optional<CheckpointStore> store, ExecutorService storage, Runnable shutdown,
    HelloThrottle throttle) {}
