package io.sparkps.driver.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.security.SelfSignedTls;
import org.junit.jupiter.api.Test;

/**
 * The in-memory handshake that warms the TLS code up completes against the server's own
 * certificate, and fails (returning false, never throwing) where the client trusts another one:
 * the warm-up really handshakes, with the certificate check of the real connections.
 */
class TlsWarmUpTest {

  @Test
  void handshakesWithTheServersOwnCertificateOnly() {
    SelfSignedTls server = SelfSignedTls.generate("sparkps-ps");
    SelfSignedTls other = SelfSignedTls.generate("sparkps-ps");
    assertTrue(TlsWarmUp.handshake(server.serverContext(), server.certificatePem()));
    assertFalse(TlsWarmUp.handshake(server.serverContext(), other.certificatePem()));
    assertFalse(TlsWarmUp.handshake(server.serverContext(), "not a certificate"));
  }
}
