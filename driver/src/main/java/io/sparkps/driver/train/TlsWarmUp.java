package io.sparkps.driver.train;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.sparkps.ps.security.TlsFiles;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * One TLS handshake between two in-memory engines, the in-process server's and a client's that
 * trusts exactly its certificate, made on the background thread that prepares the server's
 * identity while Spark reads the data: the JDK's handshake classes (key exchange, signatures,
 * key derivation, record encryption) are then loaded and initialized before the driver's admin
 * connection and the first tasks' connections need them, instead of on the first epoch's
 * critical path in a fresh JVM. Nothing of it is kept or sent anywhere; a failure only loses the
 * warm-up.
 */
final class TlsWarmUp {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TlsWarmUp.class);
  /** Wrap and unwrap turns after which the warm-up gives up (a TLS 1.3 handshake takes 3). */
  private static final int MAX_TURNS = 32;

  private TlsWarmUp() {
  }

  /** Runs the handshake; returns whether both sides finished it. Never throws. */
  static boolean handshake(SslContext server, String certificatePem) {
    try {
      SSLEngine s = server.newEngine(ByteBufAllocator.DEFAULT);
      SSLEngine c = TlsFiles.clientContext(certificatePem).createSSLEngine("sparkps-ps", 0);
      c.setUseClientMode(true);
      c.beginHandshake();
      s.beginHandshake();
      int packet = Math.max(s.getSession().getPacketBufferSize(),
          c.getSession().getPacketBufferSize());
      int app = Math.max(s.getSession().getApplicationBufferSize(),
          c.getSession().getApplicationBufferSize());
      ByteBuffer toServer = ByteBuffer.allocate(packet);
      ByteBuffer toClient = ByteBuffer.allocate(packet);
      ByteBuffer sink = ByteBuffer.allocate(app);
      ByteBuffer none = ByteBuffer.allocate(0);
      for (int turn = 0; turn < MAX_TURNS && !(idle(c) && idle(s)); turn++) {
        step(c, s, none, toServer, sink);
        step(s, c, none, toClient, sink);
      }
      return idle(c) && idle(s);
    } catch (Exception | LinkageError e) {
      LOG.debug("the TLS warm-up failed (the first connections warm up instead): {}",
          e.toString());
      return false;
    }
  }

  /** {@code from} writes what it has into {@code wire}; {@code to} reads it. */
  private static void step(SSLEngine from, SSLEngine to, ByteBuffer none, ByteBuffer wire,
      ByteBuffer sink) throws javax.net.ssl.SSLException {
    from.wrap(none, wire);
    tasks(from);
    wire.flip();
    while (wire.hasRemaining()) {
      sink.clear();
      int before = wire.remaining();
      to.unwrap(wire, sink);
      tasks(to);
      if (wire.remaining() == before) {
        break;
      }
    }
    wire.compact();
  }

  private static void tasks(SSLEngine e) {
    for (Runnable r = e.getDelegatedTask(); r != null; r = e.getDelegatedTask()) {
      r.run();
    }
  }

  private static boolean idle(SSLEngine e) {
    HandshakeStatus h = e.getHandshakeStatus();
    return h == HandshakeStatus.NOT_HANDSHAKING || h == HandshakeStatus.FINISHED;
  }
}
