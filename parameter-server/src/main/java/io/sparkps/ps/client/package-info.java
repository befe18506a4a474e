/**
 * The client side: {@link io.sparkps.ps.client.ParameterServerClient} for workers (pull, push)
 * and {@link io.sparkps.ps.client.ParameterServerAdmin} for the driver (init, await, snapshot,
 * checkpoint, restore, history, shutdown; a keyed job's init, export and summed history), and
 * {@link io.sparkps.ps.client.KeyedClient} for workers of a keyed job (rows of the keys a
 * minibatch touches, split by {@link io.sparkps.ps.keyed.KeySharding}). All split requests by
 * shard, talk to every shard in parallel, and retry only errors that say they are retryable,
 * with bounded backoff.
 */
package io.sparkps.ps.client;
