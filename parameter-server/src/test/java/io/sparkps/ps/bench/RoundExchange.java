package io.sparkps.ps.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.MessageKryo;
import io.sparkps.ps.wire.Protocol;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The plain-socket floor of a keyed round with the round's own bytes and exchanges: each client,
 * on one connection, sends a request of the size of the round's keyed pull frame and reads a
 * reply of the size of its rows frame, then sends a request of the size of its push frame and
 * reads a reply of the size of the push's acknowledgement; a thread per connection on the other
 * side reads each request whole before it writes the reply. The sizes are those of the frames a
 * one-shard round moves (length field, prefix, the Kryo header as the client and server encode
 * it, and the payload), so the floor carries every byte of the round, in the same two round trips
 * per client, over the same plain TCP on loopback, from 64-byte aligned direct buffers (as
 * {@link ParameterServerBench#echo} does, for the same reason). What it leaves out is everything
 * the server and client do besides moving bytes: parsing, the table, the sync round's wait.
 */
final class RoundExchange {
  /** Request and reply bytes of each exchange of a round, in order. */
  record Sizes(int[] requests, int[] replies) {
    int total() {
      int t = 0;
      for (int i = 0; i < requests.length; i++) {
        t += requests[i] + replies[i];
      }
      return t;
    }
  }

  private RoundExchange() {}

  /**
   * The frames of a one-shard keyed round of {@code keys} keys of {@code width} floats and a
   * tail of {@code tail} floats: pull, rows, push, acknowledgement.
   */
  static Sizes keyedRound(int keys, int width, int tail) {
    int pull = frame(new Message.KeyedPull(1, 1, 0, 1, 1, keys), (long) Protocol.KEY_BYTES * keys);
    int rows = frame(new Message.KeyedRows(1, 0, 1, keys, width, 0, tail),
        (long) Float.BYTES * ((long) keys * width + tail));
    int push = frame(new Message.KeyedPush(1, 1, 0, 1, 0, 0, 100, 1.0, 0, keys),
        (long) Protocol.KEY_BYTES * keys + (long) Float.BYTES * ((long) keys * width + tail));
    int ack = frame(new Message.PushAck(1, 0), 0);
    return new Sizes(new int[] {pull, push}, new int[] {rows, ack});
  }

  /** Bytes of a frame on the wire: length field, prefix, Kryo header, payload. */
  private static int frame(Message m, long payload) {
    Kryo kryo = MessageKryo.create();
    Output o = new Output(256, Protocol.MAX_HEADER_BYTES);
    kryo.writeClassAndObject(o, m);
    return Math.toIntExact(4 + Protocol.PREFIX_BYTES + o.position() + payload);
  }

  /** N clients each run {@code rounds} rounds of {@code sizes}' exchanges: ms per round. */
  static double run(int n, Sizes sizes, int rounds) throws Exception {
    try (ServerSocketChannel ss = ServerSocketChannel.open()) {
      ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      int port = ((InetSocketAddress) ss.getLocalAddress()).getPort();
      ExecutorService pool = Executors.newCachedThreadPool();
      try {
        pool.submit(() -> accept(ss, pool, sizes));
        CyclicBarrier start = new CyclicBarrier(n + 1);
        CyclicBarrier end = new CyclicBarrier(n + 1);
        int warmup = Math.max(2, rounds / 10);
        List<Future<?>> fs = new ArrayList<>();
        for (int p = 0; p < n; p++) {
          fs.add(pool.submit(() -> client(port, sizes, warmup, rounds, start, end)));
        }
        start.await();
        long t0 = System.nanoTime();
        end.await();
        double ms = (System.nanoTime() - t0) / 1e6 / rounds;
        for (Future<?> f : fs) {
          f.get();
        }
        return ms;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static ByteBuffer aligned(int bytes) {
    return ByteBuffer.allocateDirect(bytes + 128).alignedSlice(64).limit(bytes).slice();
  }

  private static int largest(Sizes s) {
    int m = 1;
    for (int i = 0; i < s.requests().length; i++) {
      m = Math.max(m, Math.max(s.requests()[i], s.replies()[i]));
    }
    return m;
  }

  private static Object client(int port, Sizes sizes, int warmup, int rounds,
      CyclicBarrier start, CyclicBarrier end) throws Exception {
    try (SocketChannel s = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
      s.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ByteBuffer buf = aligned(largest(sizes));
      for (int i = 0; i < warmup; i++) {
        round(s, buf, sizes);
      }
      start.await();
      for (int i = 0; i < rounds; i++) {
        round(s, buf, sizes);
      }
      end.await();
    }
    return null;
  }

  private static void round(SocketChannel s, ByteBuffer buf, Sizes sizes) throws IOException {
    for (int x = 0; x < sizes.requests().length; x++) {
      write(s, buf.clear().limit(sizes.requests()[x]));
      readFully(s, buf.clear().limit(sizes.replies()[x]));
    }
  }

  private static void write(SocketChannel s, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      s.write(buf);
    }
  }

  private static void readFully(SocketChannel s, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (s.read(buf) < 0) {
        throw new EOFException();
      }
    }
  }

  private static Object accept(ServerSocketChannel ss, ExecutorService pool, Sizes sizes) {
    while (ss.isOpen()) {
      try {
        SocketChannel s = ss.accept();
        s.setOption(StandardSocketOptions.TCP_NODELAY, true);
        pool.submit(() -> {
          ByteBuffer buf = aligned(largest(sizes));
          try (s) {
            while (true) {
              for (int x = 0; x < sizes.requests().length; x++) {
                readFully(s, buf.clear().limit(sizes.requests()[x]));
                write(s, buf.clear().limit(sizes.replies()[x]));
              }
            }
          } catch (IOException e) {
            return null;
          }
        });
      } catch (IOException e) {
        return null;
      }
    }
    return null;
  }
}
