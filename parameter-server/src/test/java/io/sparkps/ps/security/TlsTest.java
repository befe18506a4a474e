package io.sparkps.ps.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.RetryPolicy;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a self-signed certificate made by the JDK's keytool (no BouncyCastle). */
@Timeout(30)
class TlsTest {
  @TempDir
  static Path dir;
  static TlsFiles files;

  @BeforeAll
  static void makeCertificate() throws Exception {
    Path store = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "ps", "-keyalg", "RSA",
        "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext",
        "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed.");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("ps", "changeit".toCharArray());
    Path cert = dir.resolve("server.crt");
    Path pem = dir.resolve("server.key");
    Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("ps").getEncoded()));
    Files.writeString(pem, pem("PRIVATE KEY", key.getEncoded()));
    files = new TlsFiles(cert, pem);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  @Test
  void aRoundRunsOverTls() throws Exception {
    try (ParameterServer server = ParameterServer.start(
        ServerConfig.loopback(Fixtures.TOKEN).withTls(files))) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 1))
          .withTrustedCertificate(files.certificateChain());
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(JobSpec.sync(100, Fixtures.sgd(0.1), 2));
        Fixtures.runWorkers(cfg, 2, 0, 2);
        assertEquals(2, admin.snapshot().version());
      }
    }
  }

  @Test
  void aPlainClientCannotTalkToATlsServer() throws Exception {
    try (ParameterServer server = ParameterServer.start(
        ServerConfig.loopback(Fixtures.TOKEN).withTls(files))) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 1))
          .withRetry(RetryPolicy.none());
      try (ParameterServerClient c = ParameterServerClient.connect(cfg)) {
        ParameterServerException e = assertThrows(ParameterServerException.class,
            () -> c.pull(0));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
      }
    }
  }

  /** A certificate made for one run, pinned by the client from its PEM text (no files). */
  @Test
  void aRoundRunsOverAPerRunCertificate() throws Exception {
    SelfSignedTls tls = SelfSignedTls.generate("sparkps-ps");
    assertTrue(tls.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
    assertEquals(32 * 3 - 1, tls.fingerprint().length());
    try (ParameterServer server = ParameterServer.start(
        ServerConfig.loopback(Fixtures.TOKEN).withTls(tls))) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 1))
          .withTrustedCertificatePem(tls.certificatePem());
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(JobSpec.sync(100, Fixtures.sgd(0.1), 2));
        Fixtures.runWorkers(cfg, 2, 0, 2);
        assertEquals(2, admin.snapshot().version());
      }
    }
  }

  /** A server whose certificate is not the pinned one is refused at once, not retried. */
  @Test
  void aClientPinningAnotherCertificateIsRefused() throws Exception {
    SelfSignedTls served = SelfSignedTls.generate("sparkps-ps");
    SelfSignedTls pinned = SelfSignedTls.generate("sparkps-ps");
    try (ParameterServer server = ParameterServer.start(
        ServerConfig.loopback(Fixtures.TOKEN).withTls(served))) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 1))
          .withTrustedCertificatePem(pinned.certificatePem());
      try (ParameterServerClient c = ParameterServerClient.connect(cfg)) {
        ParameterServerException e = assertThrows(ParameterServerException.class,
            () -> c.pull(0));
        assertEquals(ErrorCode.AUTH_FAILED, e.code());
        assertTrue(e.getMessage().contains("not the one this client pins"), e.getMessage());
      }
    }
  }

  /**
   * Clients pinning one certificate share one client context (and its session cache, so later
   * connections resume a session); another certificate gets its own, and pinning it still
   * refuses the first server.
   */
  @Test
  void clientsOfOneCertificateShareOneContext() throws Exception {
    SelfSignedTls a = SelfSignedTls.generate("sparkps-ps");
    SelfSignedTls b = SelfSignedTls.generate("sparkps-ps");
    assertTrue(TlsFiles.clientSocketFactory(a.certificatePem())
        == TlsFiles.clientSocketFactory(a.certificatePem()));
    assertTrue(TlsFiles.clientSocketFactory(a.certificatePem())
        != TlsFiles.clientSocketFactory(b.certificatePem()));
    try (ParameterServer server = ParameterServer.start(
        ServerConfig.loopback(Fixtures.TOKEN).withTls(a))) {
      ClientConfig pinsA = Fixtures.client(Fixtures.addresses(server, 1))
          .withTrustedCertificatePem(a.certificatePem());
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(pinsA)) {
        admin.init(JobSpec.sync(10, Fixtures.sgd(0.1), 1));
        for (int round = 0; round < 3; round++) { // a new connection each, as epochs make them
          Fixtures.runWorkers(pinsA, 1, round, round + 1);
        }
        assertEquals(3, admin.snapshot().version());
      }
      try (ParameterServerClient c = ParameterServerClient.connect(Fixtures.client(
          Fixtures.addresses(server, 1)).withTrustedCertificatePem(b.certificatePem()))) {
        assertEquals(ErrorCode.AUTH_FAILED,
            assertThrows(ParameterServerException.class, () -> c.pull(0)).code());
      }
    }
  }

  /** The certificate of a user's PEM files is what clients pin. */
  @Test
  void filesGiveTheirCertificateToPin() throws Exception {
    String pem = files.certificatePem();
    assertEquals(Files.readString(files.certificateChain()).strip(), pem.strip());
  }
}
