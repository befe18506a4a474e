package io.sparkps.ps.server;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed hellos per remote address in fixed windows: an address that failed
 * {@link ConnectionLimits#failedHellos()} times in the current window is refused until the window
 * ends, so the token cannot be guessed at network speed. The table holds at most
 * {@link #MAX_ADDRESSES} addresses (expired windows are dropped first, then the oldest), so a
 * peer with many addresses cannot grow it without bound. Thread-safe.
 */
final class HelloThrottle {
  static final int MAX_ADDRESSES = 10_000;
  private final ConnectionLimits limits;
  private final LongSupplier clockMillis;
  private final Map<InetAddress, Window> failures = new ConcurrentHashMap<>();

  private record Window(long startMillis, int failures) {}

  HelloThrottle(ConnectionLimits limits, LongSupplier clockMillis) {
    this.limits = limits;
    this.clockMillis = clockMillis;
  }

  /** Milliseconds {@code address} must still wait, or 0 if it may try to authenticate now. */
  long refusedFor(InetAddress address) {
    Window w = failures.get(address);
    long now = clockMillis.getAsLong();
    if (w == null || w.failures() < limits.failedHellos()) {
      return 0;
    }
    long left = w.startMillis() + limits.failureWindowMillis() - now;
    return Math.max(0, left);
  }

  /** Counts a failed hello of {@code address}. */
  void failed(InetAddress address) {
    long now = clockMillis.getAsLong();
    if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
      evict(now);
    }
    failures.compute(address, (a, w) -> w == null || now - w.startMillis()
        >= limits.failureWindowMillis() ? new Window(now, 1)
        : new Window(w.startMillis(), w.failures() + 1));
  }

  /** Addresses tracked now. */
  int size() {
    return failures.size();
  }

  private void evict(long now) {
    failures.values().removeIf(w -> now - w.startMillis() >= limits.failureWindowMillis());
    Iterator<InetAddress> it = failures.keySet().iterator();
    while (failures.size() >= MAX_ADDRESSES && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
