package io.sparkps.ps.client;

import io.sparkps.ps.wire.Protocol;

/**
 * The payload of a keyed request: {@code keys[0, count)} as little-endian 64-bit integers, then
 * {@code rows} and {@code tail} (either may be empty) as little-endian floats.
 */
record KeyedSlice(long[] keys, int count, FloatSlice rows, FloatSlice tail) implements Payload {

  @Override
  public int bytes() {
    return Math.addExact(Math.multiplyExact(count, Protocol.KEY_BYTES),
        Math.addExact(rows.bytes(), tail.bytes()));
  }
}
