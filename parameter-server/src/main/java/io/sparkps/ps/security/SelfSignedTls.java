package io.sparkps.ps.security;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import javax.net.ssl.SSLException;

/**
 * A TLS identity made for one training run: a fresh EC P-256 key and a self-signed X.509 v3
 * certificate for it, built with the JDK alone (the certificate's DER is written here and signed
 * with {@code SHA256withECDSA}; RFC 5280 section 4.1). Its workers pin exactly this certificate
 * (it travels, public, in the job shipped to the executors), so no certificate authority and no
 * host name are involved. The key never leaves the process that made it.
 */
public final class SelfSignedTls implements TlsIdentity {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final PrivateKey key;
  private final X509Certificate certificate;
  private SslContext context;

  private SelfSignedTls(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /** A new key and certificate, valid from an hour ago for ten years, for {@code commonName}. */
  public static SelfSignedTls generate(String commonName) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair pair = g.generateKeyPair();
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      byte[] name = Der.seq(Der.set(Der.seq(Der.oid(2, 5, 4, 3), Der.utf8(commonName))));
      byte[] ecdsaSha256 = Der.seq(Der.oid(1, 2, 840, 10045, 4, 3, 2));
      byte[] tbs = Der.seq(
          Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
          Der.integer(new BigInteger(64, RANDOM).add(BigInteger.ONE)),
          ecdsaSha256, name,
          Der.seq(Der.time(now.minusHours(1)), Der.time(now.plusYears(10))),
          name,
          pair.getPublic().getEncoded()); // SubjectPublicKeyInfo, already DER
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(pair.getPrivate());
      s.update(tbs);
      byte[] der = Der.seq(tbs, ecdsaSha256, Der.bitString(s.sign()));
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      cert.verify(pair.getPublic());
      return new SelfSignedTls(pair.getPrivate(), cert);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not make a TLS certificate for the parameter "
          + "server: " + e.getMessage() + "; this JDK lacks EC P-256 or SHA256withECDSA.", e);
    }
  }

  /**
   * The server context, built once: building one stores the key in a password-protected
   * PKCS#12 key store (PBKDF2, thousands of HMAC rounds), which a cold JVM takes a second or
   * more for; a context made ahead of time (the driver's {@code prepareTls}) is the server's.
   */
  @Override
  public synchronized SslContext serverContext() {
    if (context != null) {
      return context;
    }
    try {
      context = TlsIdentity.build(SslContextBuilder.forServer(key, certificate));
      return context;
    } catch (SSLException e) {
      throw new IllegalStateException("could not use the generated TLS certificate: "
          + e.getMessage(), e);
    }
  }

  @Override
  public String certificatePem() {
    try {
      return pem(certificate.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The certificate's SHA-256 fingerprint, as hex pairs joined by colons (for logs). */
  public String fingerprint() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  @Override
  public String toString() {
    return "SelfSignedTls[" + certificate.getSubjectX500Principal() + ", SHA-256 "
        + fingerprint() + "]";
  }

  /** The few DER encodings a certificate needs (X.690). */
  private static final class Der {
    private Der() {}

    static byte[] tlv(int tag, byte[] value) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
      out.write(tag);
      int n = value.length;
      if (n < 0x80) {
        out.write(n);
      } else {
        int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
          out.write(n >>> (8 * i));
        }
      }
      out.writeBytes(value);
      return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] p : parts) {
        out.writeBytes(p);
      }
      return out.toByteArray();
    }

    static byte[] seq(byte[]... parts) {
      return tlv(0x30, concat(parts));
    }

    static byte[] set(byte[]... parts) {
      return tlv(0x31, concat(parts));
    }

    static byte[] explicit(int tag, byte[] inner) {
      return tlv(0xA0 | tag, inner);
    }

    static byte[] integer(BigInteger v) {
      return tlv(0x02, v.toByteArray());
    }

    static byte[] utf8(String s) {
      return tlv(0x0C, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bitString(byte[] bits) {
      return tlv(0x03, concat(new byte[] {0}, bits));
    }

    static byte[] time(ZonedDateTime t) {
      boolean utc = t.getYear() < 2050; // RFC 5280: UTCTime until 2049, then GeneralizedTime
      String s = t.format(DateTimeFormatter.ofPattern(utc ? "yyMMddHHmmss'Z'"
          : "yyyyMMddHHmmss'Z'"));
      return tlv(utc ? 0x17 : 0x18, s.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] oid(int... arcs) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(40 * arcs[0] + arcs[1]);
      for (int i = 2; i < arcs.length; i++) {
        int v = arcs[i];
        int groups = Math.max(1, (32 - Integer.numberOfLeadingZeros(v) + 6) / 7);
        for (int g = groups - 1; g >= 0; g--) {
          out.write(((v >>> (7 * g)) & 0x7F) | (g > 0 ? 0x80 : 0));
        }
      }
      return tlv(0x06, out.toByteArray());
    }
  }
}
