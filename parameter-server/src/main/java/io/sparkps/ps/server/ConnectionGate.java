package io.sparkps.ps.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.wire.Frame;
import io.sparkps.ps.wire.FrameEncoder;
import io.sparkps.ps.wire.Message;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before any byte of a new connection is read, whether it is served: refused when the
 * server is at its connection cap (a retryable error: clients retry with backoff) or when its
 * address failed too many hellos in the throttle's window. A refused connection gets one error
 * frame and is closed; what it sends is dropped unread.
 */
final class ConnectionGate {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);

  private ConnectionGate() {}

  /**
   * Whether {@code ch} is refused (it is then answered and closed, over TLS when the server
   * speaks it, so that the client reads the refusal instead of a failed handshake).
   */
  static boolean refused(SocketChannel ch, int open, ServerContext server,
      Optional<SslContext> ssl) {
    long wait = server.throttle().refusedFor(ch.remoteAddress().getAddress());
    if (wait > 0) {
      refuse(ch, server, ssl, ErrorCode.AUTH_FAILED, "too many failed hellos from "
          + ch.remoteAddress().getAddress().getHostAddress() + "; this address may try again in "
          + (wait + 999) / 1000 + " s. Check the token the client is given.");
      return true;
    }
    int max = server.config().limits().maxConnections();
    if (open >= max) {
      refuse(ch, server, ssl, ErrorCode.UNAVAILABLE, "the server has " + open + " open connections, "
          + "its limit (--max-connections " + max + "); try again later (retryable).");
      return true;
    }
    return false;
  }

  private static void refuse(SocketChannel ch, ServerContext server, Optional<SslContext> ssl,
      ErrorCode code, String message) {
    server.metrics().error(code);
    LOG.info("Refusing connection {}: {} {}", ch.remoteAddress(), code, message);
    ssl.ifPresent(s -> ch.pipeline().addLast(s.newHandler(ch.alloc())));
    ch.pipeline().addLast(new FrameEncoder(server.metrics()));
    ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Frame.of(new Message.Error(0, code.wireCode(), code.retryable(),
            message))).addListener(ChannelFutureListener.CLOSE);
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
      }
    });
  }
}
