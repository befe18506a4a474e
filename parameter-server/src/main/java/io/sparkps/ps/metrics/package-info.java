/**
 * Counters of a parameter-server process and their Prometheus text exposition (format 0.0.4) on
 * a small HTTP endpoint ({@code GET /metrics}).
 */
package io.sparkps.ps.metrics;
