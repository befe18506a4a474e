package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.RetryPolicy;
import io.sparkps.ps.security.SelfSignedTls;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.Protocol;
import io.sparkps.ps.wire.RawConnection;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The connection cap, the idle timeout after the hello and the throttling of failed hellos. */
@Timeout(30)
class ConnectionLimitsTest {

  private static ParameterServer server(ConnectionLimits limits) throws Exception {
    return ParameterServer.start(ServerConfig.loopback(Fixtures.TOKEN)
        .withConnectionLimits(limits));
  }

  private static void assertError(Message m, ErrorCode code, String words) {
    Message.Error e = assertInstanceOf(Message.Error.class, m);
    assertEquals(code.wireCode(), e.code(), e.message());
    assertTrue(e.message().contains(words), e.message());
  }

  @Test
  void connectionsOverTheCapAreRefusedAndTheServerStillServes() throws Exception {
    try (ParameterServer s = server(new ConnectionLimits(3, 60_000, 10, 60_000))) {
      List<RawConnection> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RawConnection c = new RawConnection(s.port());
          c.send(new Message.Hello(Fixtures.TOKEN, Protocol.VERSION, "holder"));
          assertInstanceOf(Message.HelloOk.class, c.read());
          held.add(c);
        }
        try (RawConnection extra = new RawConnection(s.port())) {
          assertError(extra.read(), ErrorCode.UNAVAILABLE, "--max-connections 3");
          assertTrue(extra.closedByServer());
        }
      } finally {
        for (RawConnection c : held) {
          c.close();
        }
      }
      Thread.sleep(200); // the closes reach the server
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(
          Fixtures.client(Fixtures.addresses(s, 1)))) {
        admin.init(JobSpec.sync(4, Fixtures.sgd(0.1), 1));
        assertEquals(0, admin.describe().get(0).version());
      }
    }
  }

  /** Over TLS the refusal arrives inside TLS: retryable, not a failed handshake. */
  @Test
  void overTlsTheCapIsARetryableRefusalTheClientCanRead() throws Exception {
    SelfSignedTls tls = SelfSignedTls.generate("sparkps-ps");
    try (ParameterServer s = ParameterServer.start(ServerConfig.loopback(Fixtures.TOKEN)
        .withConnectionLimits(new ConnectionLimits(1, 60_000, 10, 60_000)).withTls(tls))) {
      var cfg = Fixtures.client(Fixtures.addresses(s, 1))
          .withTrustedCertificatePem(tls.certificatePem()).withRetry(RetryPolicy.none());
      try (ParameterServerAdmin first = ParameterServerAdmin.connect(cfg);
           ParameterServerAdmin second = ParameterServerAdmin.connect(cfg)) {
        first.init(JobSpec.sync(4, Fixtures.sgd(0.1), 1));
        ParameterServerException e = assertThrows(ParameterServerException.class,
            second::describe);
        assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.getMessage());
        assertTrue(e.retryable() && e.getMessage().contains("--max-connections 1"),
            e.getMessage());
      }
    }
  }

  @Test
  void anIdleAuthenticatedConnectionIsClosedAndTheClientReconnects() throws Exception {
    try (ParameterServer s = server(new ConnectionLimits(16, 1_000, 10, 60_000))) {
      try (RawConnection raw = new RawConnection(s.port())) {
        raw.send(new Message.Hello(Fixtures.TOKEN, Protocol.VERSION, "idle"));
        assertInstanceOf(Message.HelloOk.class, raw.read());
        long t0 = System.nanoTime();
        assertTrue(raw.closedByServer()); // within the 5 s socket timeout
        assertTrue(System.nanoTime() - t0 > 500_000_000L);
      }
      var cfg = Fixtures.client(Fixtures.addresses(s, 1));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg);
           ParameterServerClient c = ParameterServerClient.connect(cfg)) {
        admin.init(JobSpec.sync(4, Fixtures.sgd(0.1), 1));
        c.pull(0);
        Thread.sleep(1_600); // the server closes the idle connection; the next call reconnects
        assertEquals(4, c.pull(0).length);
      }
    }
  }

  @Test
  void failedHellosAreThrottledPerAddress() throws Exception {
    try (ParameterServer s = server(new ConnectionLimits(16, 60_000, 3, 60_000))) {
      for (int i = 0; i < 3; i++) {
        try (RawConnection raw = new RawConnection(s.port())) {
          raw.send(new Message.Hello("guess-number-" + i, Protocol.VERSION, "guesser"));
          assertError(raw.read(), ErrorCode.AUTH_FAILED, "token was refused");
        }
      }
      // the fourth try, even with the right token, is refused before its bytes are read
      try (RawConnection raw = new RawConnection(s.port())) {
        raw.send(new Message.Hello(Fixtures.TOKEN, Protocol.VERSION, "guesser"));
        assertError(raw.read(), ErrorCode.AUTH_FAILED, "too many failed hellos from 127.0.0.1");
        assertTrue(raw.closedByServer());
      }
    }
  }

  /** One connection cannot pile up waiting pulls (each holds a waiter and a deadline task). */
  @Test
  void waitingPullsPerConnectionAreCapped() throws Exception {
    try (ParameterServer s = server(ConnectionLimits.defaults());
         ParameterServerAdmin admin = ParameterServerAdmin.connect(
             Fixtures.client(Fixtures.addresses(s, 1)));
         RawConnection raw = new RawConnection(s.port())) {
      admin.init(JobSpec.sync(4, Fixtures.sgd(0.1), 1));
      raw.send(new Message.Hello(Fixtures.TOKEN, Protocol.VERSION, "piler"));
      assertInstanceOf(Message.HelloOk.class, raw.read());
      for (int i = 1; i <= RequestHandler.MAX_WAITING + 1; i++) {
        raw.send(new Message.Pull(i, 1, 0, 5, 60_000));
      }
      Message m = raw.read();
      assertError(m, ErrorCode.INVALID_REQUEST, "64 pulls or awaits waiting");
      assertEquals(RequestHandler.MAX_WAITING + 1, m.requestId());
    }
  }

  @Test
  void theThrottleForgetsAfterItsWindowAndStaysBounded() {
    AtomicLong now = new AtomicLong(1_000);
    HelloThrottle t = new HelloThrottle(new ConnectionLimits(1, 1_000, 2, 60_000), now::get);
    InetAddress a = InetAddress.getLoopbackAddress();
    t.failed(a);
    assertEquals(0, t.refusedFor(a));
    t.failed(a);
    assertEquals(60_000, t.refusedFor(a));
    now.addAndGet(59_000);
    assertEquals(1_000, t.refusedFor(a));
    now.addAndGet(1_000);
    assertEquals(0, t.refusedFor(a));
    for (int i = 0; i < HelloThrottle.MAX_ADDRESSES + 50; i++) {
      byte[] ip = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
      try {
        t.failed(InetAddress.getByAddress(ip));
      } catch (java.net.UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
    assertTrue(t.size() <= HelloThrottle.MAX_ADDRESSES, "" + t.size());
  }
}
