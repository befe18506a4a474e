/**
 * The wire format of the parameter server (see {@code parameter-server/PROTOCOL.md}): length-
 * prefixed frames, each a magic number, a protocol version, a small Kryo-serialized header (one of
 * the {@link io.sparkps.ps.wire.Message} records) and a payload of raw little-endian floats (for
 * keyed messages, 64-bit keys first) that travels in direct buffers, never as per-float objects.
 */
package io.sparkps.ps.wire;
