package io.sparkps.ps.security;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A server's TLS identity as PEM files: an X.509 certificate chain and its unencrypted PKCS#8
 * private key ("BEGIN PRIVATE KEY"). The JDK provider reads both; BouncyCastle is not needed.
 */
public record TlsFiles(Path certificateChain, Path privateKey) implements TlsIdentity {

  public TlsFiles {
    for (Path p : new Path[] {certificateChain, privateKey}) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException("TLS file " + p + " is not readable; pass a PEM "
            + "certificate with --tls-cert and its PKCS#8 key with --tls-key.");
      }
    }
  }

  /** The server-side context. */
  @Override
  public SslContext serverContext() {
    try {
      return TlsIdentity.build(SslContextBuilder.forServer(certificateChain.toFile(),
          privateKey.toFile()));
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("could not load TLS certificate " + certificateChain
          + " with key " + privateKey + ": " + e.getMessage() + "; the key must be an "
          + "unencrypted PKCS#8 PEM (openssl pkcs8 -topk8 -nocrypt).", e);
    }
  }

  /** The first certificate of the chain file, as PEM text (what clients pin). */
  @Override
  public String certificatePem() {
    try (InputStream in = Files.newInputStream(certificateChain)) {
      Certificate first = CertificateFactory.getInstance("X.509").generateCertificates(in)
          .stream().findFirst().orElseThrow(() -> new GeneralSecurityException("no "
              + "certificate in the file"));
      return SelfSignedTls.pem(first.getEncoded());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("could not read the certificate " + certificateChain
          + ": " + e.getMessage() + "; pass a PEM certificate chain (--tls-cert).", e);
    }
  }

  /**
   * A client socket factory (plain JDK TLS, for the blocking client) that trusts exactly the
   * certificates in the PEM text {@code trustedPem}.
   */
  public static SSLSocketFactory clientSocketFactory(String trustedPem) {
    synchronized (CLIENT_FACTORIES) {
      return CLIENT_FACTORIES.computeIfAbsent(trustedPem,
          pem -> clientContext(pem).getSocketFactory());
    }
  }

  /**
   * Client socket factories by the PEM text they trust, the {@value #CACHED_FACTORIES} most
   * recently used: a JVM's clients of one server share one context, and with it its TLS session
   * cache, so a new connection (each epoch's task connects anew) resumes a session (RFC 8446,
   * section 2.2) instead of a full handshake: no certificate to sign and verify. A connection
   * still authenticates with its token.
   */
  private static final java.util.Map<String, SSLSocketFactory> CLIENT_FACTORIES =
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, SSLSocketFactory> e) {
          return size() > CACHED_FACTORIES;
        }
      };
  private static final int CACHED_FACTORIES = 8;

  /**
   * A client TLS context (plain JDK TLS) that trusts exactly the certificates in the PEM text
   * {@code trustedPem}.
   */
  public static SSLContext clientContext(String trustedPem) {
    try (InputStream in = new ByteArrayInputStream(trustedPem.getBytes(
        StandardCharsets.US_ASCII))) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("trusted-" + i++, c);
      }
      if (i == 0) {
        throw new GeneralSecurityException("no certificate in the file");
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("could not load the trusted certificate: "
          + e.getMessage() + "; pass the server's PEM certificate (--tls-cert).", e);
    }
  }
}
