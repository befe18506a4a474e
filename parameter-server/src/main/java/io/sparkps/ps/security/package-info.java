/**
 * What keeps a parameter server to its own job: the shared-secret token checked when a
 * connection opens, and optional TLS through Netty's {@code SslHandler} from PEM files.
 */
package io.sparkps.ps.security;
