package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.GradientPush;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.RetryPolicy;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.Protocol;
import io.sparkps.ps.wire.RawConnection;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every job-scoped message names its job: an init over a running job is refused unless the admin
 * replaces it explicitly, and messages of another job are refused instead of counting into it.
 * Peers of another protocol version get a refusal they can read.
 */
@Timeout(20)
class JobIdentityTest {
  private static final int SIZE = 8;
  private ParameterServer server;
  private ClientConfig jobA;
  private ClientConfig jobB;

  @BeforeEach
  void start() throws Exception {
    server = Fixtures.server(1);
    ClientConfig base = Fixtures.client(Fixtures.addresses(server, 1))
        .withRetry(RetryPolicy.none()).withPullDeadline(Duration.ofMillis(500));
    jobA = base.withJobId(0xA);
    jobB = base.withJobId(0xB);
    try (ParameterServerAdmin admin = ParameterServerAdmin.connect(jobA)) {
      admin.init(JobSpec.sync(SIZE, Fixtures.sgd(1.0), 2));
    }
  }

  @AfterEach
  void stop() {
    server.kill();
  }

  private static GradientPush ones(long round, int partition) {
    float[] g = new float[SIZE];
    Arrays.fill(g, 1f);
    return GradientPush.gradient(round, partition, 0, 1, 0, g);
  }

  /**
   * A finished run ends its job: the next run inits without replacing it, another job cannot
   * end it, ending twice is harmless, and the ended job's late messages are refused.
   */
  @Test
  void anEndedJobLetsTheNextRunInitAndRefusesItsLateMessages() {
    try (ParameterServerClient a = ParameterServerClient.connect(jobA);
         ParameterServerAdmin adminA = ParameterServerAdmin.connect(jobA);
         ParameterServerAdmin adminB = ParameterServerAdmin.connect(jobB)) {
      assertEquals(PushOutcome.ACCEPTED, a.push(ones(0, 0)));
      assertEquals(PushOutcome.ACCEPTED, a.push(ones(0, 1)));
      ParameterServerException other = assertThrows(ParameterServerException.class,
          adminB::endJob);
      assertEquals(ErrorCode.WRONG_JOB, other.code());
      assertEquals(List.of(1L), adminA.endJob());
      assertEquals(List.of(-1L), adminA.endJob());
      adminB.init(JobSpec.sync(SIZE, Fixtures.sgd(1.0), 2));
      ParameterServerException late = assertThrows(ParameterServerException.class,
          () -> a.push(ones(1, 0)));
      assertEquals(ErrorCode.WRONG_JOB, late.code());
      assertEquals(0, adminB.describe().get(0).version());
    }
  }

  @Test
  void anInitOverARunningJobIsRefusedUnlessReplaced() {
    try (ParameterServerClient a = ParameterServerClient.connect(jobA);
         ParameterServerAdmin b = ParameterServerAdmin.connect(jobB)) {
      assertEquals(PushOutcome.ACCEPTED, a.push(ones(0, 0)));
      ParameterServerException e = assertThrows(ParameterServerException.class,
          () -> b.init(JobSpec.sync(SIZE, Fixtures.sgd(1.0), 2)));
      assertEquals(ErrorCode.WRONG_JOB, e.code());
      assertTrue(e.getMessage().contains("runs job 000000000000000a"), e.getMessage());
      // job A carries on: its round in flight is still there
      assertEquals(PushOutcome.DUPLICATE, a.push(ones(0, 0)));
      assertEquals(PushOutcome.ACCEPTED, a.push(ones(0, 1)));
      assertEquals(-1f, a.pull(1)[0], 1e-6f);
      // the admin's explicit decision replaces it; A's late messages are then refused
      b.replace(JobSpec.sync(SIZE, Fixtures.sgd(1.0), 2));
      assertEquals(0xB, b.describe().get(0).jobId());
      ParameterServerException late = assertThrows(ParameterServerException.class,
          () -> a.push(ones(0, 0)));
      assertEquals(ErrorCode.WRONG_JOB, late.code());
      assertFalse(late.retryable());
      assertEquals(ErrorCode.WRONG_JOB,
          assertThrows(ParameterServerException.class, () -> a.pull(0)).code());
      assertArrayEquals(new float[SIZE], b.snapshot().values());
    }
  }

  @Test
  void messagesOfAnotherJobNeverCountIntoThisOne() {
    try (ParameterServerClient a = ParameterServerClient.connect(jobA);
         ParameterServerClient stale = ParameterServerClient.connect(jobB);
         ParameterServerAdmin adminB = ParameterServerAdmin.connect(jobB)) {
      assertEquals(ErrorCode.WRONG_JOB, assertThrows(ParameterServerException.class,
          () -> stale.push(ones(0, 0))).code());
      assertEquals(ErrorCode.WRONG_JOB, assertThrows(ParameterServerException.class,
          () -> adminB.checkpoint()).code());
      assertEquals(ErrorCode.WRONG_JOB, assertThrows(ParameterServerException.class,
          () -> adminB.history(0)).code());
      a.push(ones(0, 0));
      a.push(ones(0, 1));
      assertEquals(-1f, a.pull(1)[0], 1e-6f); // the mean of A's two pushes only
    }
  }

  @Test
  void aWaitingPullOfAReplacedJobFailsAtOnce() throws Exception {
    ClientConfig patient = jobA.withPullDeadline(Duration.ofSeconds(15));
    try (ParameterServerClient a = ParameterServerClient.connect(patient);
         ParameterServerAdmin b = ParameterServerAdmin.connect(jobB)) {
      a.push(ones(0, 0));
      var pending = a.pushThenPull(ones(0, 0), new float[SIZE]); // waits for partition 1
      Thread.sleep(100);
      long t0 = System.nanoTime();
      b.replace(JobSpec.sync(SIZE, Fixtures.sgd(1.0), 2));
      assertEquals(ErrorCode.WRONG_JOB,
          assertThrows(ParameterServerException.class, pending::await).code());
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }
  }

  /** A peer of protocol version 1 gets its refusal in a frame of version 1, which it can read. */
  @Test
  void aVersionOnePeerReadsItsRefusal() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(raw.frame(1, new Message.Hello(Fixtures.TOKEN, 1, "old"), new float[0]));
      Message.Error e = assertInstanceOf(Message.Error.class, raw.read());
      assertEquals(1, raw.lastVersion());
      assertEquals(ErrorCode.UNSUPPORTED_VERSION.wireCode(), e.code());
      assertTrue(e.message().contains("speaks version " + Protocol.VERSION), e.message());
      assertTrue(raw.closedByServer());
    }
  }

  /** This client against a server of version 1 fails at once, naming both versions. */
  @Test
  void aClientMeetingAnOlderServerGetsAClearError() throws Exception {
    try (ServerSocket old = new ServerSocket(0)) {
      Thread t = new Thread(() -> answerAsVersionOne(old));
      t.setDaemon(true);
      t.start();
      ClientConfig cfg = Fixtures.client(List.of(new InetSocketAddress("127.0.0.1",
          old.getLocalPort()))).withRetry(RetryPolicy.standard());
      try (ParameterServerClient c = ParameterServerClient.connect(cfg)) {
        ParameterServerException e = assertThrows(ParameterServerException.class,
            () -> c.pull(0));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.code());
        assertTrue(e.getMessage().contains("protocol version 1 and this client version "
            + Protocol.VERSION)
            && e.getMessage().contains("speaks version 1 only"), e.getMessage());
      }
    }
  }

  /** What a version-1 server answers to a frame of this version: an Error in a version-1 frame. */
  private static void answerAsVersionOne(ServerSocket old) {
    try (Socket s = old.accept()) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      in.skipNBytes(in.readInt());
      String msg = "protocol version " + Protocol.VERSION + " is not supported; this endpoint "
          + "speaks version 1 only.";
      byte[] text = msg.getBytes();
      ByteBuffer h = ByteBuffer.allocate(64 + text.length).put((byte) (36 + 2)).putLong(0)
          .putInt(ErrorCode.UNSUPPORTED_VERSION.wireCode()).put((byte) 0)
          .put((byte) (0x80 | 0x40 | ((text.length + 1) & 0x3F)))
          .put((byte) ((text.length + 1) >>> 6)).put(text);
      int hl = h.position();
      ByteBuffer f = ByteBuffer.allocate(11 + hl).putInt(7 + hl).putInt(Protocol.MAGIC)
          .put((byte) 1).putShort((short) hl).put(h.array(), 0, hl);
      OutputStream out = s.getOutputStream();
      out.write(f.array());
      out.flush();
      in.read(); // until the client closes
    } catch (Exception ignored) {
      // the test's assertions say what went wrong
    }
  }
}
