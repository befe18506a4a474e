package io.sparkps.ps.server;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The read-write lock over a {@link Shard}'s job, its keyed table and its dense tail. Read side:
 * the replies of keyed pulls, built off the shard's monitor, several at once (they only read: a
 * pull creates no rows). Write side: whatever changes the job, the table or the tail (start,
 * end, pushes, a reply that had to go through the monitor), always taken with the shard's
 * monitor already held: monitor first, then the write side, one order everywhere.
 */
final class TableLock {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** {@code change} under the write side (the shard's monitor already held). */
  <T> T writing(Supplier<T> change) {
    lock.writeLock().lock();
    try {
      return change.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** As {@link #writing(Supplier)}, for a change that returns nothing. */
  void writing(Runnable change) {
    lock.writeLock().lock();
    try {
      change.run();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The read side, for a reply built without the shard's monitor. */
  Lock readLock() {
    return lock.readLock();
  }
}
