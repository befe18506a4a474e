package io.sparkps.ps.client;

import io.sparkps.ps.security.TlsIdentity;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** TLS through a blocking {@link SSLSocket}'s streams, from heap buffers. */
final class TlsWire implements Wire {
  private static final int SOCKET_BUFFER = 1 << 20;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private TlsWire(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static TlsWire open(InetSocketAddress address, SSLSocketFactory factory, int connectMillis)
      throws IOException {
    Socket s = factory.createSocket();
    try {
      s.setTcpNoDelay(true);
      s.setSendBufferSize(SOCKET_BUFFER);
      s.setReceiveBufferSize(SOCKET_BUFFER);
      s.connect(address, connectMillis);
      SSLSocket ssl = (SSLSocket) s;
      ssl.setEnabledProtocols(new String[] {TlsIdentity.PROTOCOL});
      ssl.setEnabledCipherSuites(new String[] {TlsIdentity.CIPHER_SUITE});
      ssl.startHandshake();
      return new TlsWire(s);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  @Override
  public ByteBuffer allocate(int capacity) {
    return ByteBuffer.allocate(capacity);
  }

  @Override
  public void write(ByteBuffer b, long timeoutMillis) throws IOException {
    out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
    out.flush();
    b.position(b.limit());
  }

  @Override
  public int read(ByteBuffer b, long timeoutMillis) throws IOException {
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMillis)));
    int n = in.read(b.array(), b.arrayOffset() + b.position(), b.remaining());
    if (n < 0) {
      throw new EOFException("the server closed the connection");
    }
    b.position(b.position() + n);
    return n;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing a broken or aborted socket: nothing more to do.
    }
  }
}
