package io.sparkps.ps.client;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.MessageKryo;
import io.sparkps.ps.wire.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;

/**
 * One blocking connection to one shard, speaking the frames of PROTOCOL.md directly on a
 * {@link Wire}: the calling thread writes the request and reads the reply itself, with no
 * event-loop hand-off (on loopback the hand-offs, not the bytes, dominate a small round). A frame
 * is assembled in, and a reply read into, one reused buffer (direct and aligned on plain TCP), so
 * the payload floats are copied once on each side of the kernel's copy. Opened with its hello on
 * first use; any failure closes it, and the next request reconnects; {@link #abort()} closes it
 * for good from any thread.
 *
 * <p>Callers hold {@link #lock()} from a request's write to its reply's read.
 */
final class ShardConnection implements AutoCloseable {
  private static final ByteBuffer NONE = ByteBuffer.allocate(0);
  private final InetSocketAddress address;
  private final ClientConfig config;
  private final Optional<SSLSocketFactory> tls;
  private final ReentrantLock lock = new ReentrantLock();
  private final Kryo kryo = MessageKryo.create();
  private final Output header = new Output(256, Protocol.MAX_HEADER_BYTES);
  private byte[] headerIn = new byte[256];
  private ByteBuffer out = NONE;
  /** Received bytes: those of frames not yet read are {@code [inStart, inEnd)}. */
  private ByteBuffer in = NONE;
  private int inStart;
  private int inEnd;
  /** Written under the lock; volatile so that {@link #abort()} can close it without the lock. */
  private volatile Optional<Wire> wire = Optional.empty();
  private volatile boolean aborted;
  private long nextId;
  private boolean closed;
  /** Whether the server of the current wire has answered the hello. */
  private boolean helloDone;

  ShardConnection(InetSocketAddress address, ClientConfig config,
      Optional<SSLSocketFactory> tls) {
    this.address = address;
    this.config = config;
    this.tls = tls;
  }

  InetSocketAddress address() {
    return address;
  }

  ReentrantLock lock() {
    return lock;
  }

  /** Writes a request (connecting first if needed); returns its request id. Lock held. */
  long write(LongFunction<Message> request, Payload payload) {
    ensureOpen();
    long id = ++nextId;
    try {
      writeFrame(request.apply(id), payload);
      return id;
    } catch (IOException e) {
      ParameterServerException refusal = aborted ? abortedError() : refusalOr(
          new ParameterServerException(ErrorCode.UNAVAILABLE, "writing to " + address
          + " failed: " + e + "; the server may be restarting (retryable)."));
      closeWire();
      throw refusal;
    }
  }

  /**
   * The server may have refused a frame (too large) and closed before the write finished: its
   * error frame is then already in the receive buffer, and says more than the broken pipe.
   */
  private ParameterServerException refusalOr(ParameterServerException broken) {
    try {
      if (readFrame(200).header() instanceof Message.Error err) {
        return new ParameterServerException(ErrorCode.fromWire(err.code()), err.message());
      }
    } catch (IOException | RuntimeException ignored) {
      // No refusal to report: the connection just broke.
    }
    return broken;
  }

  /** Reads the reply to {@code requestId}; errors become exceptions. Lock held. */
  Reply read(long requestId, long timeoutMillis) {
    Reply r;
    try {
      r = readFrame(timeoutMillis);
    } catch (IOException e) {
      throw broken("no reply from " + address + " (" + e + ")");
    }
    if (r.header() instanceof Message.Error err) {
      ParameterServerException e = new ParameterServerException(ErrorCode.fromWire(err.code()),
          err.message());
      if (err.requestId() == 0) {
        closeWire();
      }
      throw e;
    }
    if (r.header().requestId() != requestId) {
      throw broken("reply " + r.header().requestId() + " from " + address + " does not match "
          + "request " + requestId);
    }
    return r;
  }

  private void ensureOpen() {
    if (aborted) {
      throw abortedError();
    }
    if (closed) {
      throw new ParameterServerException(ErrorCode.UNAVAILABLE, "the client is closed.");
    }
    if (wire.isPresent()) {
      return;
    }
    try {
      Wire w = Wire.open(address, tls, (int) Math.min(Integer.MAX_VALUE,
          config.requestTimeout().toMillis()));
      wire = Optional.of(w);
      if (aborted) {
        // abort() ran while this wire was being opened and may not have seen it.
        throw abortedError();
      }
      out = w.allocate(out.capacity() > 0 ? out.capacity() : 1 << 12);
      in = w.allocate(in.capacity() > 0 ? in.capacity() : 1 << 16);
      inStart = 0;
      inEnd = 0;
      helloDone = false;
      writeFrame(new Message.Hello(config.token(), Protocol.VERSION, config.clientName()),
          FloatSlice.EMPTY);
    } catch (SSLHandshakeException e) {
      closeWire();
      throw new ParameterServerException(ErrorCode.AUTH_FAILED, "the TLS handshake with the "
          + "shard at " + address + " failed (" + e.getMessage() + "): its certificate is not "
          + "the one this client pins, or it does not speak TLS. Check the certificate given "
          + "to the run (--ps-tls-cert) against the server's --tls-cert.");
    } catch (IOException e) {
      throw broken("could not connect to shard at " + address + ": " + e);
    }
    read(0, config.requestTimeout().toMillis());
    helloDone = true;
  }

  private void writeFrame(Message m, Payload payload) throws IOException {
    header.setPosition(0);
    kryo.writeClassAndObject(header, m);
    int h = header.position();
    int payloadBytes = payload.bytes();
    int length = Protocol.PREFIX_BYTES + h + payloadBytes;
    Wire w = wire.orElseThrow();
    if (out.capacity() < 4 + length) {
      out = w.allocate(Math.max(4 + length, 2 * out.capacity()));
    }
    ByteBuffer b = out.clear();
    b.putInt(length).putInt(Protocol.MAGIC).put((byte) Protocol.VERSION).putShort((short) h)
        .put(header.getBuffer(), 0, h);
    if (payload instanceof FloatSlice f) {
      put(b, f);
    } else if (payload instanceof KeyedSlice k) {
      b.slice(b.position(), k.count() * Protocol.KEY_BYTES).order(ByteOrder.LITTLE_ENDIAN)
          .asLongBuffer().put(k.keys(), 0, k.count());
      b.position(b.position() + k.count() * Protocol.KEY_BYTES);
      put(b, k.rows());
      put(b, k.tail());
    }
    b.flip();
    w.write(b, config.requestTimeout().toMillis());
  }

  /** Writes the floats at the buffer's position and moves it past them. */
  private static void put(ByteBuffer b, FloatSlice f) {
    b.slice(b.position(), f.bytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
        .put(f.array(), f.offset(), f.length());
    b.position(b.position() + f.bytes());
  }

  private Reply readFrame(long timeoutMillis) throws IOException {
    fill(4, timeoutMillis);
    int length = in.getInt(inStart);
    // until the server has answered the hello, its frames are hello-sized: a peer that is not
    // (yet) known to be the job's server cannot make this client reserve a large buffer
    int limit = helloDone ? config.maxFrameBytes() : Protocol.MAX_HELLO_FRAME_BYTES;
    if (length < Protocol.PREFIX_BYTES || length > limit) {
      throw new IOException("reply frame length " + length + " is outside "
          + Protocol.PREFIX_BYTES + " to " + limit + " bytes");
    }
    fill(4 + length, timeoutMillis);
    int p = inStart + 4;
    int magic = in.getInt(p);
    int version = in.get(p + 4) & 0xFF;
    int h = in.getShort(p + 5) & 0xFFFF;
    int payloadBytes = length - Protocol.PREFIX_BYTES - h;
    if (magic != Protocol.MAGIC || payloadBytes < 0 || payloadBytes % Float.BYTES != 0) {
      throw new IOException("reply frame is not SparkPS protocol " + Protocol.VERSION);
    }
    if (version != Protocol.VERSION) {
      throw otherVersion(version, p, h);
    }
    if (headerIn.length < h) {
      headerIn = new byte[h];
    }
    in.get(p + Protocol.PREFIX_BYTES, headerIn, 0, h);
    Message m;
    try {
      m = MessageKryo.read(kryo, new Input(headerIn, 0, h));
    } catch (RuntimeException | Error e) {
      // a hostile or broken server gets one clear failure, never an allocation it dictates
      throw new IOException("reply header could not be read (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + ")", e);
    }
    ByteBuffer payload = in.slice(p + Protocol.PREFIX_BYTES + h, payloadBytes)
        .order(ByteOrder.LITTLE_ENDIAN);
    inStart += 4 + length;
    return new Reply(m, payload.asFloatBuffer());
  }

  /**
   * A reply of another protocol version: the server's refusal, if it is an {@code Error} (whose
   * layout every version shares), else a refusal of ours; never retried.
   */
  private ParameterServerException otherVersion(int version, int at, int headerBytes) {
    String why = "";
    try {
      byte[] hb = new byte[headerBytes];
      in.get(at + Protocol.PREFIX_BYTES, hb, 0, headerBytes);
      if (MessageKryo.read(kryo, new Input(hb)) instanceof Message.Error err) {
        why = " It says: " + err.message();
      }
    } catch (RuntimeException | Error ignored) {
      // not an Error of a version we can read: our own sentence says enough
    }
    closeWire();
    return new ParameterServerException(ErrorCode.UNSUPPORTED_VERSION, "the server at "
        + address + " speaks SparkPS protocol version " + version + " and this client version "
        + Protocol.VERSION + "; use client and server from the same SparkPS release." + why);
  }

  /**
   * Reads until {@code [inStart, inEnd)} holds at least {@code bytes} bytes. A frame starts at
   * the front of the buffer whenever the previous one was read whole, so that the large reads
   * land on aligned addresses.
   */
  private void fill(int bytes, long timeoutMillis) throws IOException {
    if (inStart == inEnd) {
      inStart = 0;
      inEnd = 0;
    }
    Wire w = wire.orElseThrow();
    if (inStart + bytes > in.capacity()) {
      in.limit(inEnd).position(inStart);
      if (in.capacity() >= bytes) {
        in.compact();
      } else {
        in = w.allocate(Math.max(bytes, 2 * in.capacity())).put(in);
      }
      inEnd -= inStart;
      inStart = 0;
    }
    while (inEnd - inStart < bytes) {
      in.limit(in.capacity()).position(inEnd);
      inEnd += w.read(in, timeoutMillis);
    }
    in.limit(in.capacity());
  }

  private ParameterServerException broken(String sentence) {
    closeWire();
    if (aborted) {
      return abortedError();
    }
    return new ParameterServerException(ErrorCode.UNAVAILABLE, sentence + "; the server may "
        + "be restarting (retryable).");
  }

  private ParameterServerException abortedError() {
    closeWire();
    return new ParameterServerException(ErrorCode.ABORTED, "the call to the shard at " + address
        + " was aborted: the client was aborted (its task was killed) and is not retried.");
  }

  /**
   * Fails the call in flight at once and every later one: closes the wire without taking the
   * lock, so a thread blocked reading a reply gets {@link ErrorCode#ABORTED} instead of waiting
   * for its deadline. Safe from any thread, any number of times.
   */
  void abort() {
    aborted = true;
    wire.ifPresent(Wire::close);
  }

  private void closeWire() {
    wire.ifPresent(Wire::close);
    wire = Optional.empty();
    inStart = 0;
    inEnd = 0;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      closeWire();
    } finally {
      lock.unlock();
    }
  }
}
