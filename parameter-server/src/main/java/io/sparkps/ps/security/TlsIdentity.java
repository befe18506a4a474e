package io.sparkps.ps.security;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * What a TLS server presents: a user's own PEM files ({@link TlsFiles}, for standalone servers)
 * or a certificate made for one training run ({@link SelfSignedTls}, which its workers pin).
 */
public sealed interface TlsIdentity permits TlsFiles, SelfSignedTls {
  /** Both ends are SparkPS: TLS 1.3 only. */
  String PROTOCOL = "TLSv1.3";
  /**
   * The one cipher suite: AES-128-GCM, the fastest AEAD of the JDK's provider here (AES-NI and
   * CLMUL intrinsics; AES-256 takes 14 rounds to 10, ChaCha20 has no intrinsic on Java 17).
   */
  String CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";

  /** A server context builder with the protocol and cipher suite above. */
  static SslContext build(SslContextBuilder b) throws SSLException {
    return b.protocols(PROTOCOL).ciphers(List.of(CIPHER_SUITE)).build();
  }

  /** The server-side Netty context. */
  SslContext serverContext();

  /** The certificate (the first of the chain) as PEM text, which clients may pin. */
  String certificatePem();
}
