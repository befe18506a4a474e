/**
 * Counters of a parameter-server process, registered with the Prometheus Java client and served
 * at {@code GET /metrics} by its HTTP server, bound to loopback unless configured otherwise.
 */
package io.sparkps.ps.metrics;
