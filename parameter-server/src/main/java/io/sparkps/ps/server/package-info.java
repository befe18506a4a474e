/**
 * The parameter-server service (Li et al. 2014, "Scaling Distributed Machine Learning with the
 * Parameter Server"): shards that hold contiguous key ranges of a flat float vector, aggregate the
 * workers' pushes per round and apply the optimizer from {@code io.sparkps.core.optim}. Built from
 * an injectable {@link io.sparkps.ps.server.ServerConfig}; {@code start}, {@code stop},
 * {@code blockUntilShutdown}, as grpc-java's servers are.
 */
package io.sparkps.ps.server;
