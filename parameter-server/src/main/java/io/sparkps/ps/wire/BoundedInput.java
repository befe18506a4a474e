package io.sparkps.ps.wire;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * Reads of variable-length header fields that check the length the peer claims before anything
 * is allocated for it. Kryo's own {@code Input.readString} and {@code readInts} size their arrays
 * from the peer's length field before the bytes exist: a 17-byte frame whose string claims 2^30
 * characters would make a receiver allocate a 2 GiB {@code char[]}. Here a claimed length must
 * fit both the field's limit and the bytes actually left in the header (every character and
 * every element takes at least one byte), so a header can never make its reader allocate more
 * than a small multiple of its own size. The failures are {@link KryoException}s, which the frame
 * readers turn into one {@code MALFORMED_FRAME} error.
 */
final class BoundedInput {
  /** Longest token accepted in a hello. */
  static final int MAX_TOKEN_CHARS = 1024;
  /** Longest client name or other short label. */
  static final int MAX_NAME_CHARS = 256;
  /** Longest free text (an optimizer's JSON, an error message): a whole header. */
  static final int MAX_TEXT_CHARS = Protocol.MAX_HEADER_BYTES;

  private BoundedInput() {}

  /**
   * A Kryo string of at most {@code maxChars} characters (the encoding of PROTOCOL.md); never
   * null. Its claimed length is checked against {@code maxChars} and the bytes left first.
   */
  static String string(Input in, int maxChars, String field) {
    int start = in.position();
    int limit = in.limit();
    byte[] buf = in.getBuffer();
    if (start >= limit) {
      throw new KryoException(field + " is missing: the header ends before it.");
    }
    int b = buf[start];
    long chars;
    long left;
    if ((b & 0x80) == 0) {
      // ASCII: the characters run up to and including the first byte with its top bit set
      int end = start;
      while (end < limit && (buf[end] & 0x80) == 0 && end - start <= maxChars) {
        end++;
      }
      chars = end - start + 1;
      left = limit - start;
    } else {
      int p = start + 1;
      long claimed = b & 0x3F;
      boolean more = (b & 0x40) != 0;
      for (int shift = 6; more; shift += 7) {
        if (p >= limit || shift > 27) {
          throw new KryoException(field + " has an unreadable length.");
        }
        int x = buf[p++];
        claimed |= (long) (x & 0x7F) << shift;
        more = (x & 0x80) != 0;
      }
      if (claimed == 0) {
        throw new KryoException(field + " is null; the protocol has no null strings.");
      }
      chars = claimed - 1;
      left = limit - p;
    }
    if (chars > maxChars) {
      throw new KryoException(field + " claims " + chars + " characters, over its limit of "
          + maxChars + ".");
    }
    if (chars > left) {
      throw new KryoException(field + " claims " + chars + " characters but only " + left
          + " bytes of the header are left.");
    }
    return in.readString();
  }

  /** A count of elements of {@code bytesEach} bytes that must all fit in the bytes left. */
  static int count(Input in, int bytesEach, int maxCount, String field) {
    int n = in.readInt();
    long left = in.limit() - in.position();
    if (n < 0 || n > maxCount || (long) n * bytesEach > left) {
      throw new KryoException(field + " claims " + n + " elements of " + bytesEach + " bytes; "
          + "it must be 0 to " + maxCount + " and fit in the " + left + " bytes left.");
    }
    return n;
  }
}
