package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.RetryPolicy;
import io.sparkps.ps.wire.HostileFrames;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.Protocol;
import io.sparkps.ps.wire.RawConnection;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad tokens and bad bytes get their error and a closed connection; other clients carry on. */
@Timeout(20)
class ProtocolAbuseTest {
  private static final int SIZE = 64;
  private ParameterServer server;
  private ClientConfig config;
  private ParameterServerClient good;

  @BeforeEach
  void start() throws Exception {
    server = ParameterServer.start(ServerConfig.loopback(Fixtures.TOKEN)
        .withLimits(64 * 1024, 300));
    config = Fixtures.client(Fixtures.addresses(server, 1));
    try (ParameterServerAdmin admin = ParameterServerAdmin.connect(config)) {
      admin.init(JobSpec.sync(SIZE, Fixtures.sgd(0.1), 1));
    }
    good = ParameterServerClient.connect(config);
    good.pull(0);
  }

  @AfterEach
  void stop() {
    good.close();
    server.kill();
  }

  private void assertGoodClientUndisturbed() {
    float[] before = good.pull(0);
    float[] g = new float[SIZE];
    Arrays.fill(g, 1f);
    good.push(io.sparkps.ps.api.GradientPush.gradient(0, 0, 0, 1, 0, g));
    float[] after = good.pull(1);
    assertEquals(before[0] - 0.1f, after[0], 1e-6f);
  }

  private static void assertError(Message m, ErrorCode code) {
    Message.Error e = assertInstanceOf(Message.Error.class, m);
    assertEquals(code.wireCode(), e.code(), e.message());
    assertTrue(e.message().length() > 20, e.message());
  }

  @Test
  void wrongTokenIsRefused() {
    ClientConfig wrong = ClientConfig.of(config.shards(), "not-the-token-123")
        .withRetry(RetryPolicy.none());
    try (ParameterServerClient c = ParameterServerClient.connect(wrong)) {
      ParameterServerException e = assertThrows(ParameterServerException.class, () -> c.pull(0));
      assertEquals(ErrorCode.AUTH_FAILED, e.code());
      assertTrue(!e.retryable());
    }
    assertGoodClientUndisturbed();
  }

  @Test
  void silentConnectionIsClosedAfterTheFrameTimeout() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      assertError(raw.read(), ErrorCode.AUTH_FAILED);
      assertTrue(raw.closedByServer());
    }
    assertGoodClientUndisturbed();
  }

  @Test
  void emptyTokenIsRefusedAndClosed() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send(new Message.Hello("", Protocol.VERSION, "anonymous"));
      assertError(raw.read(), ErrorCode.AUTH_FAILED);
      assertTrue(raw.closedByServer());
    }
    assertGoodClientUndisturbed();
  }

  @Test
  void requestWithoutHelloIsRefusedAndClosed() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send(new Message.Pull(1, 1, 0, 0, 0));
      assertError(raw.read(), ErrorCode.AUTH_FAILED);
      assertTrue(raw.closedByServer());
    }
    assertGoodClientUndisturbed();
  }

  @Test
  void wrongProtocolVersionIsRefusedAndClosed() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(raw.frame(Protocol.VERSION + 1, new Message.Hello(Fixtures.TOKEN, 2, "x"),
          new float[0]));
      assertError(raw.read(), ErrorCode.UNSUPPORTED_VERSION);
      assertTrue(raw.closedByServer());
    }
    assertGoodClientUndisturbed();
  }

  @Test
  void frameOverTheLimitIsRefusedBeforeItsPayload() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send(new Message.Hello(Fixtures.TOKEN, Protocol.VERSION, "big"));
      assertInstanceOf(Message.HelloOk.class, raw.read());
      raw.write(new byte[] {0x10, 0, 0, 0});
      assertError(raw.read(), ErrorCode.FRAME_TOO_LARGE);
      assertTrue(raw.closedByServer());
    }
    assertGoodClientUndisturbed();
  }

  @Test
  void largeFrameBeforeTheHelloIsRefused() throws Exception {
    try (ParameterServer fresh = ParameterServer.start(ServerConfig.loopback(Fixtures.TOKEN));
         RawConnection raw = new RawConnection(fresh.port())) {
      raw.write(new byte[] {0, 2, 0, 0});
      Message m = raw.read();
      assertError(m, ErrorCode.FRAME_TOO_LARGE);
      assertTrue(((Message.Error) m).message().contains("before authentication"));
      assertTrue(raw.closedByServer());
    }
    assertGoodClientUndisturbed();
  }

  @Test
  void truncatedFrameTimesOut() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      byte[] whole = raw.frame(Protocol.VERSION, new Message.Hello(Fixtures.TOKEN, 1, "t"),
          new float[0]);
      raw.write(Arrays.copyOf(whole, whole.length - 3));
      assertError(raw.read(), ErrorCode.TRUNCATED_FRAME);
      assertTrue(raw.closedByServer());
    }
    assertGoodClientUndisturbed();
  }

  /**
   * The probe of issue 16: 16 connections each send the 17-byte hello whose token claims 2^30
   * characters. Each gets one MALFORMED_FRAME naming the claim and is closed; the server never
   * allocates the 2 GiB arrays (today's threads together allocate far less than one of them) and
   * still serves the real job.
   */
  @Test
  void helloClaimingAGigacharTokenIsRefusedWithoutAllocating() throws Exception {
    long before = allocatedByAllThreads();
    for (int i = 0; i < 16; i++) {
      try (RawConnection raw = new RawConnection(server.port())) {
        raw.write(HostileFrames.hugeTokenHello());
        Message m = raw.read();
        assertError(m, ErrorCode.MALFORMED_FRAME);
        assertTrue(((Message.Error) m).message().contains("claims 1073741824 characters"),
            ((Message.Error) m).message());
        assertTrue(raw.closedByServer());
      }
    }
    long allocated = allocatedByAllThreads() - before;
    assertTrue(allocated < (256L << 20), "16 probes allocated " + allocated + " bytes");
    assertGoodClientUndisturbed();
  }

  private static long allocatedByAllThreads() {
    var mx = (com.sun.management.ThreadMXBean)
        java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
      sum += Math.max(0, b);
    }
    return sum;
  }

  @Test
  void garbageBytesAreRefused() throws Exception {
    byte[] garbage = new byte[4096];
    ThreadLocalRandom.current().nextBytes(garbage);
    garbage[0] = 0;
    garbage[1] = 0;
    garbage[2] = 1;
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(garbage);
      assertError(raw.read(), ErrorCode.MALFORMED_FRAME);
      assertTrue(raw.closedByServer());
    }
    assertGoodClientUndisturbed();
  }

  @Test
  void corruptHeaderIsRefused() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      byte[] f = raw.frame(Protocol.VERSION, new Message.Hello(Fixtures.TOKEN, 1, "t"),
          new float[0]);
      f[11] = (byte) 0x7F;
      raw.write(f);
      assertError(raw.read(), ErrorCode.MALFORMED_FRAME);
      assertTrue(raw.closedByServer());
    }
    assertGoodClientUndisturbed();
  }
}
