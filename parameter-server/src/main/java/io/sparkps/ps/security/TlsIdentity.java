package io.sparkps.ps.security;

import io.netty.handler.ssl.SslContext;

/**
 * What a TLS server presents: a user's own PEM files ({@link TlsFiles}, for standalone servers)
 * or a certificate made for one training run ({@link SelfSignedTls}, which its workers pin).
 */
public sealed interface TlsIdentity permits TlsFiles, SelfSignedTls {

  /** The server-side Netty context. */
  SslContext serverContext();

  /** The certificate (the first of the chain) as PEM text, which clients may pin. */
  String certificatePem();
}
