package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.KeyedPush;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.keyed.SparseAdaGrad;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.RawConnection;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keyed requests from a hostile or broken peer: each gets its error reply, allocates nothing the
 * peer's counts dictate, and applies nothing.
 */
@Timeout(30)
class KeyedHostileTest {
  private static final long JOB = 1;
  private static final int WIDTH = 3;
  private ParameterServer server;
  private ClientConfig cfg;
  private final KeyedJobSpec spec = new KeyedJobSpec(WIDTH, new SparseAdaGrad(0.1, 0, 1e-10),
      Optional.empty(), 0, 0, 300_000, new float[] {0f}, Fixtures.sgd(0.1), 1,
      new ConsistencyMode.Sync());

  @BeforeEach
  void start() throws Exception {
    server = ParameterServer.start(ServerConfig.loopback(Fixtures.TOKEN)
        .withLimits(1 << 20, 10_000));
    cfg = Fixtures.client(Fixtures.addresses(server, 1));
    try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
      admin.initKeyed(spec);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Message.Error error(RawConnection raw) throws Exception {
    return assertInstanceOf(Message.Error.class, raw.read());
  }

  private static Message.KeyedPush push(long round, int count) {
    return new Message.KeyedPush(7, JOB, 0, round, 0, 0, 1, 0.5, 0, count);
  }

  @Test
  void aKeyedPullBeforeTheHelloIsRefusedAndClosed() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.write(raw.frame(new Message.KeyedPull(3, JOB, 0, 0, 100, Integer.MAX_VALUE),
          new byte[0]));
      Message.Error e = error(raw);
      assertEquals(ErrorCode.AUTH_FAILED.wireCode(), e.code());
      assertTrue(raw.closedByServer());
    }
  }

  @Test
  void countsThatDoNotMatchThePayloadOrPassTheFrameLimitAreRefusedBeforeAllocating()
      throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.hello(Fixtures.TOKEN);
      raw.write(raw.frame(new Message.KeyedPull(3, JOB, 0, 0, 100, Integer.MAX_VALUE),
          RawConnection.keyed(new long[] {1})));
      Message.Error e = error(raw);
      assertEquals(ErrorCode.INVALID_REQUEST.wireCode(), e.code());
      assertTrue(e.message().contains("claims 2147483647 keys but carries 8 payload bytes"),
          e.message());
      // 100 000 rows of 3 floats need a reply of 1.2 MB, over this server's 1 MiB limit
      long[] many = new long[100_000];
      for (int i = 0; i < many.length; i++) {
        many[i] = i;
      }
      raw.write(raw.frame(new Message.KeyedPull(4, JOB, 0, 0, 100, many.length),
          RawConnection.keyed(many)));
      e = error(raw);
      assertEquals(ErrorCode.INVALID_REQUEST.wireCode(), e.code());
      assertTrue(e.message().contains("over this server's frame limit of 1048576; pull fewer "
          + "keys per request (at most 87369)"), e.message());
      raw.write(raw.frame(push(0, Integer.MAX_VALUE), RawConnection.keyed(new long[] {1},
          1f, 2f, 3f, 0f)));
      e = error(raw);
      assertTrue(e.message().contains("claims 2147483647 keys of 3 floats"), e.message());
    }
    assertNothingApplied();
  }

  @Test
  void unsortedKeysAndRowsOfTheWrongWidthAreRefusedAndNothingIsApplied() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.hello(Fixtures.TOKEN);
      raw.write(raw.frame(push(0, 2), RawConnection.keyed(new long[] {5, 2},
          1f, 1f, 1f, 1f, 1f, 1f, 0f)));
      Message.Error e = error(raw);
      assertEquals(ErrorCode.INVALID_REQUEST.wireCode(), e.code());
      assertTrue(e.message().contains("key 2 at position 1 is not above the key before it (5)"),
          e.message());
      raw.write(raw.frame(push(0, 2), RawConnection.keyed(new long[] {2, 5},
          1f, 1f, 1f, 1f, 0f)));
      e = error(raw);
      assertTrue(e.message().contains("claims 2 keys of 3 floats and a tail slice of 1 (44 "
          + "payload bytes) but carries 36 bytes"), e.message());
      raw.write(raw.frame(push(0, 1), RawConnection.keyed(new long[] {2},
          1f, Float.NaN, 1f, 0f)));
      e = error(raw);
      assertEquals(ErrorCode.NON_FINITE_VALUES.wireCode(), e.code());
    }
    assertNothingApplied();
  }

  @Test
  void aPushPastTheTableBoundFailsWithTheTablesMessageAndChangesNoRow() throws Exception {
    long[] keys = new long[20_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i;
    }
    try (KeyedClient c = KeyedClient.connect(cfg, spec)) {
      ParameterServerException e = assertThrows(ParameterServerException.class,
          () -> c.push(new KeyedPush(0, 0, 0, 1, 0, PayloadKind.GRADIENT, keys, keys.length,
              new float[keys.length * WIDTH], new float[1])));
      assertEquals(ErrorCode.INVALID_REQUEST, e.code());
      assertTrue(e.getMessage().contains("past its bound of 300000 bytes"), e.getMessage());
    }
    assertNothingApplied();
  }

  @Test
  void theClientRefusesUnsortedKeysBeforeSending() {
    try (KeyedClient c = KeyedClient.connect(cfg, spec)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> c.pull(0, new long[] {3, 3}, 2, new float[6], new float[1]));
      assertTrue(e.getMessage().contains("key 3 at position 1"), e.getMessage());
    }
  }

  @Test
  void aKeyedPushOfAnotherJobIsRefused() throws Exception {
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.hello(Fixtures.TOKEN);
      raw.write(raw.frame(new Message.KeyedPush(9, 2, 0, 0, 0, 0, 1, 0, 0, 0),
          RawConnection.keyed(new long[0], 0f)));
      Message.Error e = error(raw);
      assertEquals(ErrorCode.WRONG_JOB.wireCode(), e.code(), e.message());
    }
  }

  /** The job is still at version 0 with no row stored: a pull shows the initial rows. */
  private void assertNothingApplied() {
    try (KeyedClient c = KeyedClient.connect(cfg, spec)) {
      float[] rows = new float[2 * WIDTH];
      float[] tail = new float[1];
      assertEquals(0, c.pull(0, new long[] {2, 5}, 2, rows, tail));
      assertArrayEquals(new float[2 * WIDTH], rows);
      assertArrayEquals(new float[] {0f}, tail);
    }
  }
}
