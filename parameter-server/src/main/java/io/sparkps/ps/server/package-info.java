/**
 * The parameter-server service (Li et al. 2014, "Scaling Distributed Machine Learning with the
 * Parameter Server"): shards that hold contiguous key ranges of a flat float vector, aggregate the
 * workers' pushes per round and apply the optimizer from {@code io.sparkps.core.optim}; and
 * keyed shards, whose rows per 64-bit key live in a {@link io.sparkps.ps.keyed.KeyedTable} and are
 * stepped once per key per round by a sparse rule ({@code KeyedState}, {@code KeyedService}),
 * with the model's dense tail held as a dense range. Built from
 * an injectable {@link io.sparkps.ps.server.ServerConfig}; {@code start}, {@code stop},
 * {@code blockUntilShutdown}, as grpc-java's servers are.
 */
package io.sparkps.ps.server;
