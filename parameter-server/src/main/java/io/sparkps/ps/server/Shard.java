package io.sparkps.ps.server;

import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.api.RoundStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One shard: a contiguous key range of the parameter vector, served by this process. Thread-safe:
 * every method locks the shard (its monitor), except {@link #replyNow}, which builds a keyed
 * pull's reply under the read side of {@link #tableLock} only, so the replies of a round's pulls
 * (which read the table and the tail, and store nothing: a pull does not create rows) are built
 * on their connections' threads at once. Whatever changes the job, its table or its tail (start,
 * end, pushes) holds the monitor and then the write side. Lifecycle: {@link #start} (init or
 * restore), then any number of {@link #push}, {@link #whenReady} and {@link #checkpointAt}
 * calls; {@link #beginDrain} before the process stops.
 *
 * <p>Its parts: {@link JobClaims} (which job, of which kind, a message must name); under the
 * monitor, {@link ShardWaiters}, {@link ShardCheckpoints}, {@link ShardDrain} and the round
 * history; {@link TableLock}, the read-write lock over the job, table and tail.
 */
final class Shard {
  private final int id;
  private final ShardEvents events;
  /** Requests waiting for a version; guarded by the monitor. */
  private final ShardWaiters waiters = new ShardWaiters();
  /** Pending and periodic checkpoints; guarded by the monitor. */
  private final ShardCheckpoints checkpoints;
  /** Completed rounds of the job; guarded by the monitor. */
  private final RoundHistory history = new RoundHistory();
  /** Written under the monitor and the write side of {@link #tableLock}. */
  private volatile Optional<JobState> state = Optional.empty();
  /** The keyed table of a keyed job (whose dense tail is {@link #state}); empty for dense jobs. */
  private volatile Optional<KeyedState> keyed = Optional.empty();
  /**
   * The id of the job in {@link #state}; 0 while none, or restored on start and not yet claimed
   * by the admin's restore.
   */
  private volatile long jobId;
  /** Read side: keyed replies; write side: changes of the job, its table or its tail. */
  private final TableLock tableLock = new TableLock();
  /** The clean stop; guarded by the monitor. */
  private final ShardDrain drain;

  Shard(int id, ShardEvents events, int checkpointEvery) {
    this.id = id;
    this.events = events;
    this.drain = new ShardDrain(id);
    this.checkpoints = new ShardCheckpoints(id, checkpointEvery, events, () -> keyed);
  }

  int id() {
    return id;
  }

  /**
   * Starts the shard's job. Over a running job of another id only with {@code replace} (an
   * admin's explicit decision; otherwise {@code WRONG_JOB}); the same id restarts its job.
   * Pending waiters of a replaced job get {@code WRONG_JOB}; those of the new job are kept.
   */
  synchronized void start(JobState fresh, boolean replace) {
    start(fresh, Optional.empty(), replace);
  }

  /** As {@link #start(JobState, boolean)}, for a keyed job whose dense tail is {@code fresh}. */
  synchronized void start(JobState fresh, Optional<KeyedState> table, boolean replace) {
    tableLock.writing(() -> startLocked(fresh, table, replace));
  }

  private void startLocked(JobState fresh, Optional<KeyedState> table, boolean replace) {
    JobClaims.checkInit(id, state, jobId, fresh, replace);
    long next = fresh.job().jobId();
    checkpoints.failAll(JobClaims.replaced(id, jobId, next));
    state.ifPresent(JobState::releasePayload);
    state = Optional.of(fresh);
    keyed = table;
    jobId = next;
    history.clear();
    fireReady();
  }

  /**
   * Ends job {@code messageJob} (its driver finished the run): drops its parameters, table and
   * history, so the next run's init needs no {@code replace}; waiting requests and checkpoints
   * of the job fail with {@code WRONG_JOB}. Returns the version it ended at, or -1 when the shard
   * held no job (ending twice is harmless); another job's end is refused.
   */
  synchronized long end(long messageJob) {
    return tableLock.writing(() -> endLocked(messageJob));
  }

  private long endLocked(long messageJob) {
    if (state.isEmpty()) {
      return -1;
    }
    JobState s = active(messageJob);
    long version = s.version();
    ParameterServerException ended = JobClaims.ended(id, jobId);
    checkpoints.failAll(ended);
    waiters.failAll(ended);
    s.releasePayload();
    state = Optional.empty();
    keyed = Optional.empty();
    jobId = 0;
    history.clear();
    return version;
  }

  /** The id of the running job (0: none, or restored on start and not restored for a run yet). */
  synchronized long jobId() {
    return jobId;
  }

  /**
   * The running job, when {@code messageJob} names it. A job restored when the process started
   * belongs to no run until the admin's restore claims it ({@link #start} with the message's
   * job id): every other message is refused with {@code UNCLAIMED} ({@link JobClaims}).
   */
  private JobState active(long messageJob) {
    return JobClaims.claimed(id, state, jobId, messageJob);
  }

  private ParameterServerException wrongJob(long messageJob) {
    return JobClaims.wrongJob(id, messageJob, jobId);
  }

  /** The job, if {@code messageJob} names the one running. */
  synchronized ShardJob job(long messageJob) {
    return active(messageJob).job();
  }

  synchronized Optional<ShardJob> job() {
    return state.map(JobState::job);
  }

  /** The array pool of the current job, for decoding a push. */
  synchronized FloatArrayPool pool() {
    return active().pool();
  }

  synchronized long version() {
    return state.map(JobState::version).orElse(-1L);
  }

  private JobState active() {
    return JobClaims.present(id, state);
  }

  /** Counts a validated push of job {@code messageJob}; applies the rounds it completes. */
  synchronized PushOutcome push(long messageJob, PushData p) {
    JobState s = active(messageJob);
    JobClaims.checkDense(id, keyed);
    return tableLock.writing(() -> counted(s, p.round(), published -> s.push(p, published)));
  }

  /** Counts a validated keyed push of job {@code messageJob}. */
  synchronized PushOutcome pushKeyed(long messageJob, KeyedData p) {
    JobState s = active(messageJob);
    KeyedState k = keyed(s);
    return tableLock.writing(() -> counted(s, p.round(), published -> k.push(s, p, published)));
  }

  /** The keyed table of the running job, or a clear refusal for a dense job. */
  private KeyedState keyed(JobState s) {
    return JobClaims.keyed(id, keyed, s);
  }

  /** The keyed job of {@code messageJob}, if it is the one running and keyed. */
  synchronized io.sparkps.ps.keyed.TableSpec keyedJob(long messageJob) {
    return keyed(active(messageJob)).job();
  }

  /**
   * Writes the keyed table's weights and the tail slice into {@code modelDir} under the lock
   * (so no push changes the table meanwhile); returns the keys written.
   */
  synchronized long export(long messageJob, java.net.URI modelDir) throws java.io.IOException {
    JobState s = active(messageJob);
    s.requireHealthy();
    return keyed(s).export(s, modelDir);
  }

  /** The keyed table of the running job, if keyed; for a reply built under {@link #replyNow}. */
  Optional<KeyedState> keyedState() {
    return keyed;
  }

  private PushOutcome counted(JobState s, long round,
      java.util.function.Function<List<RoundStats>, PushOutcome> push) {
    drain.checkPush(round);
    List<RoundStats> published = new ArrayList<>(1);
    PushOutcome outcome;
    try {
      outcome = push.apply(published);
    } catch (ParameterServerException e) {
      if (s.failed()) {
        waiters.failAll(e);
        checkpoints.failAll(e);
      }
      throw e;
    }
    for (RoundStats r : published) {
      onPublished(s, r);
    }
    return outcome;
  }

  private void onPublished(JobState s, RoundStats r) {
    history.add(r);
    events.published(id, r);
    checkpoints.published(s);
    fireReady();
  }

  private void fireReady() {
    if (state.isEmpty()) {
      return;
    }
    waiters.fireReady(state.get(), jobId, this::wrongJob);
  }

  /** Fires {@code w} now if ready (returns true), or when a later round makes it ready. */
  synchronized boolean whenReady(ShardWaiter w) {
    state.ifPresent(s -> active(w.jobId()).requireHealthy());
    if (state.isPresent() && w.ready(state.get())) {
      w.fire(state.get());
      return true;
    }
    waiters.add(w);
    return false;
  }

  /**
   * {@code reply} of the running job {@code messageJob}: a reply built after its waiter fired,
   * off the thread that made it ready, under the read side of {@link #tableLock} only (several
   * at once), so {@code reply} must only read the job and must not take this shard's monitor.
   * Refuses a failed job, or one replaced since; without a claimed job (none, or restored on
   * start and not yet restored by the admin) it goes through the monitor, which refuses it.
   */
  <T> T replyNow(long messageJob, java.util.function.Function<JobState, T> reply) {
    tableLock.readLock().lock();
    try {
      Optional<JobState> now = state;
      if (jobId != 0 && now.isPresent()) {
        if (messageJob != jobId) {
          throw wrongJob(messageJob);
        }
        now.get().requireHealthy();
        return reply.apply(now.get());
      }
    } finally {
      tableLock.readLock().unlock();
    }
    return replyLocked(messageJob, reply);
  }

  private synchronized <T> T replyLocked(long messageJob,
      java.util.function.Function<JobState, T> reply) {
    return tableLock.writing(() -> {
      JobState s = active(messageJob);
      s.requireHealthy();
      return reply.apply(s);
    });
  }

  /** Removes a waiter whose deadline passed; false if it already fired. */
  synchronized boolean cancel(ShardWaiter w) {
    return waiters.remove(w);
  }

  /** A sentence saying what a pull of {@code round} waits for. */
  synchronized String waitingFor(long round) {
    return state.map(s -> s.waitingFor(round)).orElse("shard " + id + " has no job yet");
  }

  /**
   * Checkpoints at {@code version} in sync mode (now if the shard is there, when it publishes it
   * if it is one behind), or now in the other modes. Completes with the version written.
   */
  synchronized CompletableFuture<Long> checkpointAt(long messageJob, long version) {
    active(messageJob);
    return checkpointAt(version);
  }

  /** As above, for the server's own last checkpoint (whatever job runs). */
  synchronized CompletableFuture<Long> checkpointAt(long version) {
    return checkpoints.at(active(), version);
  }

  /**
   * Completed rounds from {@code fromRound} on, oldest first, at most {@link
   * io.sparkps.ps.wire.Protocol#HISTORY_PAGE_ROUNDS} of them (one reply's worth).
   */
  synchronized List<RoundStats> history(long messageJob, long fromRound) {
    active(messageJob);
    return history.from(fromRound);
  }

  synchronized Optional<RoundStats> lastRound() {
    return history.last();
  }

  /** Frees the shared payload buffer; called when the server stops. */
  synchronized void releaseBuffers() {
    state.ifPresent(JobState::releasePayload);
  }

  /** Refuses pushes for rounds after the one in flight, so the process can stop cleanly. */
  synchronized void beginDrain() {
    drain.begin(state);
  }

  /** Whether the round in flight when draining began has been applied. */
  synchronized boolean drained() {
    return drain.drained(state);
  }
}
