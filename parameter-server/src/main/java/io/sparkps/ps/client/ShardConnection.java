package io.sparkps.ps.client;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.MessageKryo;
import io.sparkps.ps.wire.Protocol;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One blocking connection to one shard, speaking the frames of PROTOCOL.md directly on a socket:
 * the calling thread writes the request and reads the reply itself, with no event-loop hand-off
 * (on loopback the hand-offs, not the bytes, dominate a small round). Opened with its hello on
 * first use; any failure closes it, and the next request reconnects.
 *
 * <p>Callers hold {@link #lock()} from a request's write to its reply's read.
 */
final class ShardConnection implements AutoCloseable {
  private final InetSocketAddress address;
  private final ClientConfig config;
  private final Optional<SSLSocketFactory> tls;
  private final ReentrantLock lock = new ReentrantLock();
  private final Kryo kryo = MessageKryo.create();
  private final Output header = new Output(256, Protocol.MAX_HEADER_BYTES);
  private byte[] writeBuf = new byte[1 << 12];
  private byte[] readBuf = new byte[1 << 12];
  private Optional<Socket> socket = Optional.empty();
  private DataInputStream in;
  private OutputStream out;
  private long nextId;
  private boolean closed;

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
  long write(LongFunction<Message> request, FloatSlice payload) {
    ensureOpen();
    long id = ++nextId;
    try {
      writeFrame(request.apply(id), payload);
      return id;
    } catch (IOException e) {
      ParameterServerException refusal = refusalOr(new ParameterServerException(
          ErrorCode.UNAVAILABLE, "writing to " + address + " failed: " + e + "; the server may "
          + "be restarting (retryable)."));
      closeSocket();
      throw refusal;
    }
  }

  /**
   * The server may have refused a frame (too large) and closed before the write finished: its
   * error frame is then already in the receive buffer, and says more than the broken pipe.
   */
  private ParameterServerException refusalOr(ParameterServerException broken) {
    try {
      Socket s = socket.orElseThrow();
      s.setSoTimeout(200);
      if (readFrame().header() instanceof Message.Error err) {
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
      socket.orElseThrow().setSoTimeout((int) Math.min(Integer.MAX_VALUE,
          Math.max(1, timeoutMillis)));
      r = readFrame();
    } catch (IOException e) {
      throw broken("no reply from " + address + " (" + e + ")");
    }
    if (r.header() instanceof Message.Error err) {
      ParameterServerException e = new ParameterServerException(ErrorCode.fromWire(err.code()),
          err.message());
      if (err.requestId() == 0) {
        closeSocket();
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
    if (closed) {
      throw new ParameterServerException(ErrorCode.UNAVAILABLE, "the client is closed.");
    }
    if (socket.isPresent()) {
      return;
    }
    try {
      Socket s = tls.isPresent() ? tls.get().createSocket() : new Socket();
      s.setTcpNoDelay(true);
      s.setSendBufferSize(1 << 20);
      s.setReceiveBufferSize(1 << 20);
      s.connect(address, (int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()));
      if (s instanceof SSLSocket ssl) {
        ssl.startHandshake();
      }
      socket = Optional.of(s);
      in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      out = s.getOutputStream();
      writeFrame(new Message.Hello(config.token(), Protocol.VERSION, config.clientName()),
          FloatSlice.EMPTY);
    } catch (IOException e) {
      throw broken("could not connect to shard at " + address + ": " + e);
    }
    read(0, config.requestTimeout().toMillis());
  }

  private void writeFrame(Message m, FloatSlice payload) throws IOException {
    header.setPosition(0);
    kryo.writeClassAndObject(header, m);
    int h = header.position();
    int payloadBytes = Math.multiplyExact(payload.length(), Float.BYTES);
    int length = Protocol.PREFIX_BYTES + h + payloadBytes;
    if (writeBuf.length < 4 + length) {
      writeBuf = new byte[4 + length];
    }
    ByteBuffer b = ByteBuffer.wrap(writeBuf);
    b.putInt(length).putInt(Protocol.MAGIC).put((byte) Protocol.VERSION).putShort((short) h)
        .put(header.getBuffer(), 0, h);
    b.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
        .put(payload.array(), payload.offset(), payload.length());
    out.write(writeBuf, 0, 4 + length);
    out.flush();
  }

  private Reply readFrame() throws IOException {
    int length = in.readInt();
    if (length < Protocol.PREFIX_BYTES || length > config.maxFrameBytes()) {
      throw new IOException("reply frame length " + length + " is outside "
          + Protocol.PREFIX_BYTES + " to " + config.maxFrameBytes() + " bytes");
    }
    if (readBuf.length < length) {
      readBuf = new byte[length];
    }
    in.readFully(readBuf, 0, length);
    ByteBuffer b = ByteBuffer.wrap(readBuf, 0, length);
    int magic = b.getInt();
    int version = b.get() & 0xFF;
    int h = b.getShort() & 0xFFFF;
    int payloadBytes = length - Protocol.PREFIX_BYTES - h;
    if (magic != Protocol.MAGIC || version != Protocol.VERSION || payloadBytes < 0
        || payloadBytes % Float.BYTES != 0) {
      throw new IOException("reply frame is not SparkPS protocol " + Protocol.VERSION);
    }
    Message m;
    try {
      m = (Message) kryo.readClassAndObject(new Input(readBuf, Protocol.PREFIX_BYTES, h));
    } catch (KryoException | IllegalArgumentException | ClassCastException e) {
      throw new IOException("reply header could not be read: " + e.getMessage(), e);
    }
    ByteBuffer payload = ByteBuffer.wrap(readBuf, Protocol.PREFIX_BYTES + h, payloadBytes)
        .slice().order(ByteOrder.LITTLE_ENDIAN);
    return new Reply(m, payload.asFloatBuffer());
  }

  private ParameterServerException broken(String sentence) {
    closeSocket();
    return new ParameterServerException(ErrorCode.UNAVAILABLE, sentence + "; the server may "
        + "be restarting (retryable).");
  }

  private void closeSocket() {
    socket.ifPresent(s -> {
      try {
        s.close();
      } catch (IOException ignored) {
        // Closing a broken socket: nothing more to do.
      }
    });
    socket = Optional.empty();
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      closeSocket();
    } finally {
      lock.unlock();
    }
  }
}
