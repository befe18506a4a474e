package io.sparkps.ps.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * The byte stream under a {@link ShardConnection}: a {@link ChannelWire} (plain TCP, read and
 * written straight from aligned direct buffers) or a {@link TlsWire} (a TLS socket's streams,
 * from heap buffers). Used by one thread at a time, except {@link #close()}, which any thread may
 * call to end a blocked {@link #read} or {@link #write} at once.
 */
interface Wire {

  /** Opens a wire to {@code address}, with TLS when {@code tls} is present. */
  static Wire open(InetSocketAddress address, Optional<SSLSocketFactory> tls, int connectMillis)
      throws IOException {
    return tls.isPresent() ? TlsWire.open(address, tls.get(), connectMillis)
        : ChannelWire.open(address, connectMillis);
  }

  /** A buffer of at least {@code capacity} bytes of the kind this wire moves without copying. */
  ByteBuffer allocate(int capacity);

  /** Writes every remaining byte of {@code b}; fails if none can be written for the timeout. */
  void write(ByteBuffer b, long timeoutMillis) throws IOException;

  /**
   * Reads at least one byte into {@code b} (which has room) and returns how many; fails with a
   * {@link java.net.SocketTimeoutException} when nothing arrives for the timeout and with an
   * {@link java.io.EOFException} at the end of the stream.
   */
  int read(ByteBuffer b, long timeoutMillis) throws IOException;

  /** Closes the wire; idempotent, from any thread. */
  void close();
}
