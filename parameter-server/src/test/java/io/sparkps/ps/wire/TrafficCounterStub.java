package io.sparkps.ps.wire;

/** A traffic counter that counts nothing, for codec tests. */
enum TrafficCounterStub implements TrafficCounter {
  INSTANCE;

  public void received(long bytes) {}

  public void sent(long bytes) {}
}
