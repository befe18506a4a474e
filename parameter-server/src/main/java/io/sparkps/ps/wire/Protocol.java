package io.sparkps.ps.wire;

/** The constants of the frame layout; PROTOCOL.md is their prose. */
public final class Protocol {
  /** First four bytes of every frame after the length: ASCII "SPPS". */
  public static final int MAGIC = 0x53505053;
  /**
   * The one protocol version this build speaks. Version 2 added the job id to every job-scoped
   * message and separate worker and admin credentials; the frame prefix and the {@code Error}
   * message are those of version 1, so a peer of either version can read a refusal. Version 3
   * added the keyed messages (keyed job, pull and push of rows by 64-bit key, table export);
   * version 4 {@code EndJob}; version 5 the {@code UNCLAIMED} error: a shard restored when its
   * process started is claimed by the admin's restore only, no longer by the first message.
   */
  public static final int VERSION = 5;
  /** Bytes after the length field and before the header: magic (4), version (1), header length (2). */
  public static final int PREFIX_BYTES = 7;
  /** Largest Kryo header: it is sent as an unsigned 16-bit length. */
  public static final int MAX_HEADER_BYTES = 0xFFFF;

  /**
   * The most rounds one {@code HistoryReply} carries (120 bytes each, so a reply stays well
   * inside {@link #MAX_HEADER_BYTES}); a client asks again from the last round + 1.
   */
  public static final int HISTORY_PAGE_ROUNDS = 400;
  /** Room a push or params header takes at most (its fields are fixed-size numbers). */
  public static final int DATA_HEADER_ALLOWANCE = 128;
  /** Largest frame a server accepts before the hello has authenticated the connection. */
  public static final int MAX_HELLO_FRAME_BYTES = 1 << 16;
  /** Default largest frame (length field value): 256 MiB, room for 64M floats. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 256 << 20;

  /** Most examples one push may count (a minibatch or K local steps of rows). */
  public static final long MAX_EXAMPLES = Integer.MAX_VALUE;
  /**
   * How far ahead of the shard's version a push's round may be in async mode (ssp has its own
   * bound s, sync accepts the version only): a push can never make the shard step through, or
   * keep tallies for, more rounds than this.
   */
  public static final long MAX_ROUNDS_AHEAD = 1 << 16;
  /** Most partitions a job may have (each round keeps a few bytes per partition). */
  public static final int MAX_PARTITIONS = 1 << 16;

  /** Bytes of a key in a keyed payload (a little-endian 64-bit integer). */
  public static final int KEY_BYTES = Long.BYTES;

  private Protocol() {}
}
