package io.sparkps.ps.wire;

/** Receives the number of bytes each frame took on the wire, for metrics. */
public interface TrafficCounter {

  void received(long bytes);

  void sent(long bytes);
}
