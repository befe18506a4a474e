/**
 * The SparkPS parameter server as a standalone process: {@link io.sparkps.ps.ParameterServerMain}
 * parses the command line and runs a {@link io.sparkps.ps.server.ParameterServer} until SIGTERM.
 * The service itself lives in {@code server}, its client in {@code client}, the wire format in
 * {@code wire}.
 */
package io.sparkps.ps;
