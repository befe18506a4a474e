package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.sparkps.core.optim.Optimizer;
import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.Protocol;
import io.sparkps.ps.wire.RawConnection;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large pushes that reach the server in many pieces, a pause between them, over a real socket:
 * the server's reads land each frame's rest in the frame's own buffer (see
 * {@code FrameDecoder.receiveInto}), and the pushes must come out whole, in order and counted
 * once. The sizes take the pooled buffer (below 1 MiB) and the reused large one (above).
 */
@Timeout(30)
class SplitFramesTest {

  @ParameterizedTest
  @ValueSource(ints = {200_000, 300_000})
  void pushesArrivingInPiecesAreReadWholeAndCountedOnce(int size) throws Exception {
    Optimizer sgd = Fixtures.sgd(0.1);
    try (ParameterServer server = Fixtures.server(1)) {
      ClientConfig config = Fixtures.client(Fixtures.addresses(server, 1));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(config)) {
        admin.init(JobSpec.sync(size, sgd, 1));
      }
      float[] start = new float[size];
      float[] g0 = Fixtures.gradient(start, 0, 0);
      float[] g1 = Fixtures.gradient(Fixtures.reference(sgd, start, 1, 1), 1, 0);
      try (RawConnection raw = new RawConnection(server.port())) {
        raw.send(new Message.Hello(Fixtures.TOKEN, Protocol.VERSION, "pieces"));
        assertInstanceOf(Message.HelloOk.class, raw.read());
        byte[] first = raw.frame(Protocol.VERSION, new Message.Push(1, 1, 0, 0, 0, 0,
            Fixtures.examples(0), 1.0, 0), g0);
        byte[] second = raw.frame(Protocol.VERSION, new Message.Push(2, 1, 0, 1, 0, 0,
            Fixtures.examples(0), 1.0, 0), g1);
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        // a piece shorter than the length field, unaligned ends, and one piece holding the end
        // of the first frame and the start of the second
        int[] ends = {3, 1003, 70_001, first.length / 2, first.length - 5, first.length + 11,
            first.length + 70_000, both.length - 1, both.length};
        int from = 0;
        for (int end : ends) {
          raw.write(Arrays.copyOfRange(both, from, end));
          from = end;
          Thread.sleep(15); // so that the server reads each piece on its own
        }
        for (long request = 1; request <= 2; request++) {
          Message.PushAck ack = assertInstanceOf(Message.PushAck.class, raw.read());
          assertEquals(request, ack.requestId());
          assertEquals(PushOutcome.ACCEPTED.ordinal(), ack.outcome());
        }
      }
      try (ParameterServerClient client = ParameterServerClient.connect(config)) {
        assertArrayEquals(Fixtures.reference(sgd, start, 1, 2), client.pull(2));
      }
    }
  }
}
