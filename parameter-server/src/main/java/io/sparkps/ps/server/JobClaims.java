package io.sparkps.ps.server;

import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.JobIds;
import io.sparkps.ps.api.ParameterServerException;
import java.util.Optional;

/**
 * Which job a {@link Shard}'s messages must name (PROTOCOL.md, <i>Job identity</i>): the running
 * job's id, once claimed. A job restored when the process started belongs to no run until the
 * admin's restore claims it (the shard's job id is 0 meanwhile): every other message is refused
 * with {@code UNCLAIMED}, and an init without {@code replace} too; and a dense message must
 * find a dense job, a keyed one a keyed job. Pure checks over the shard's job, table and id,
 * which the caller reads under the shard's monitor (or the read side of its table lock, for a
 * reply); they change nothing.
 */
final class JobClaims {
  private JobClaims() {}

  /** The shard's job, or {@code NOT_INITIALIZED} when it has none. */
  static JobState present(int shard, Optional<JobState> state) {
    return state.orElseThrow(() -> new ParameterServerException(ErrorCode.NOT_INITIALIZED,
        "shard " + shard + " has no job yet; the driver must call init (or restore) first."));
  }

  /** The shard's job, when {@code messageJob} names it and it is claimed ({@code jobId != 0}). */
  static JobState claimed(int shard, Optional<JobState> state, long jobId, long messageJob) {
    JobState s = present(shard, state);
    if (jobId == 0) {
      throw unclaimed(shard, messageJob, s);
    } else if (messageJob != jobId) {
      throw wrongJob(shard, messageJob, jobId);
    }
    return s;
  }

  /** Refuses a dense push to a shard that runs a keyed job ({@code keyed} present). */
  static void checkDense(int shard, Optional<KeyedState> keyed) {
    if (keyed.isPresent()) {
      throw ShardService.invalid("shard " + shard + " runs a keyed job; push its rows with "
          + "keyed pushes (KeyedClient), not a dense push");
    }
  }

  /** The keyed table of the shard's job {@code s}, or a clear refusal for a dense job. */
  static KeyedState keyed(int shard, Optional<KeyedState> keyed, JobState s) {
    return keyed.orElseThrow(() -> ShardService.invalid("shard " + shard + " runs a dense job "
        + "of " + s.job().size() + " parameters, not a keyed one; send dense pulls and pushes, "
        + "or declare a keyed job (ParameterServerAdmin.initKeyed)"));
  }

  /**
   * Refuses the state {@code fresh} of another shard, and its init over the shard's job without
   * {@code replace}: over a restored, unclaimed job ({@code UNCLAIMED}) or a job of another id
   * ({@code WRONG_JOB}).
   */
  static void checkInit(int shard, Optional<JobState> state, long jobId, JobState fresh,
      boolean replace) {
    if (fresh.job().shardId() != shard) {
      throw new IllegalArgumentException("state for shard " + fresh.job().shardId()
          + " given to shard " + shard + ".");
    }
    long next = fresh.job().jobId();
    if (state.isPresent() && !replace && jobId == 0) {
      throw new ParameterServerException(ErrorCode.UNCLAIMED, "shard " + shard + " holds the "
          + "job it restored from its checkpoint (at version " + state.get().version() + ") when "
          + "its process started; the init of job " + JobIds.format(next) + " was refused so as "
          + "not to overwrite it. Restore it for the run (ParameterServerAdmin.restore) or "
          + "replace it explicitly (ParameterServerAdmin.replace).");
    }
    if (state.isPresent() && !replace && jobId != next) {
      throw new ParameterServerException(ErrorCode.WRONG_JOB, "shard " + shard + " runs job "
          + JobIds.format(jobId) + " (at version " + state.get().version() + "); the init of "
          + "job " + JobIds.format(next) + " was refused so as not to overwrite it. Stop the "
          + "other run, or replace its job explicitly (ParameterServerAdmin.replace).");
    }
  }

  static ParameterServerException unclaimed(int shard, long messageJob, JobState s) {
    return new ParameterServerException(ErrorCode.UNCLAIMED, "shard " + shard + " was restored "
        + "from its checkpoint at version " + s.version() + " when its process started and no "
        + "run has claimed it, so the message of job " + JobIds.format(messageJob) + " was "
        + "refused. Only the driver's restore (ParameterServerAdmin.restore, admin token) "
        + "resumes a restored shard for a run: a keyed run with --checkpoint-dir does so by "
        + "itself; otherwise continue the run with 'sparkps resume --checkpoint DIR'.");
  }

  static ParameterServerException wrongJob(int shard, long messageJob, long jobId) {
    return new ParameterServerException(ErrorCode.WRONG_JOB, "the message is for job "
        + JobIds.format(messageJob) + " but shard " + shard + " runs job "
        + JobIds.format(jobId) + "; it comes from another run (a late task of an earlier job, "
        + "or a second driver) and was ignored.");
  }

  /** What the waiters and checkpoints of job {@code jobId} fail with when it is replaced. */
  static ParameterServerException replaced(int shard, long jobId, long next) {
    return new ParameterServerException(ErrorCode.WRONG_JOB, "job " + JobIds.format(jobId)
        + " of shard " + shard + " was replaced by job " + JobIds.format(next) + " before its "
        + "checkpoint was written.");
  }

  /** What the waiters and checkpoints of job {@code jobId} fail with when its run ends. */
  static ParameterServerException ended(int shard, long jobId) {
    return new ParameterServerException(ErrorCode.WRONG_JOB, "job " + JobIds.format(jobId)
        + " of shard " + shard + " has ended (its run finished).");
  }
}
