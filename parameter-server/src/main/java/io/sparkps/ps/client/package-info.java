/**
 * The client side: {@link io.sparkps.ps.client.ParameterServerClient} for workers (pull, push)
 * and {@link io.sparkps.ps.client.ParameterServerAdmin} for the driver (init, await, snapshot,
 * checkpoint, restore, history, shutdown). Both split requests by shard key range, talk to every
 * shard in parallel, and retry only errors that say they are retryable, with bounded backoff.
 */
package io.sparkps.ps.client;
