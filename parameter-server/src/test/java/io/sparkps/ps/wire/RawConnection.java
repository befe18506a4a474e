package io.sparkps.ps.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A plain socket that writes hand-made bytes and reads frames, for protocol-abuse tests. */
public final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final DataOutputStream out;
  private final DataInputStream in;
  private final Kryo kryo = MessageKryo.create();
  private int lastVersion;

  public RawConnection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  /** The bytes of a whole frame with the given version, header and float payload. */
  public byte[] frame(int version, Message header, float[] payload) {
    Output o = new Output(256, 65535);
    kryo.writeClassAndObject(o, header);
    int h = o.position();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 7 + h + payload.length * 4);
    b.putInt(7 + h + payload.length * 4).putInt(Protocol.MAGIC).put((byte) version)
        .putShort((short) h).put(o.getBuffer(), 0, h);
    b.order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float f : payload) {
      b.putFloat(f);
    }
    return b.array();
  }

  /** The bytes of a whole frame of this version with a raw payload (keys and floats). */
  public byte[] frame(Message header, byte[] payload) {
    Output o = new Output(256, 65535);
    kryo.writeClassAndObject(o, header);
    int h = o.position();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 7 + h + payload.length);
    b.putInt(7 + h + payload.length).putInt(Protocol.MAGIC).put((byte) Protocol.VERSION)
        .putShort((short) h).put(o.getBuffer(), 0, h).put(payload);
    return b.array();
  }

  /** Keys then floats, little-endian, as a keyed payload. */
  public static byte[] keyed(long[] keys, float... floats) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * keys.length + 4 * floats.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (long k : keys) {
      b.putLong(k);
    }
    for (float f : floats) {
      b.putFloat(f);
    }
    return b.array();
  }

  public void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public void send(Message header) throws IOException {
    write(frame(Protocol.VERSION, header, new float[0]));
  }

  /** Says hello with {@code token} and reads the answer (a HelloOk, or fails). */
  public void hello(String token) throws IOException {
    send(new Message.Hello(token, Protocol.VERSION, "raw"));
    if (!(read() instanceof Message.HelloOk)) {
      throw new IOException("the hello was refused.");
    }
  }

  /** Reads one frame's header (payload skipped). */
  public Message read() throws IOException {
    int length = in.readInt();
    if (in.readInt() != Protocol.MAGIC) {
      throw new IOException("bad magic from server.");
    }
    lastVersion = in.readUnsignedByte();
    int h = in.readUnsignedShort();
    byte[] header = new byte[h];
    in.readFully(header);
    in.skipNBytes(length - 7 - h);
    return (Message) kryo.readClassAndObject(new Input(header));
  }

  /** The protocol version byte of the frame {@link #read} read last. */
  public int lastVersion() {
    return lastVersion;
  }

  /** Whether the server closed the connection (EOF within the socket timeout). */
  public boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (EOFException | java.net.SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
