/**
 * The vocabulary the parameter server, its client and the driver share: what a push is, which
 * consistency mode a job runs in, how the parameters start, the error codes and the per-round
 * statistics. Nothing here touches the network.
 */
package io.sparkps.ps.api;
