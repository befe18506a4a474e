package io.sparkps.ps.client;

import io.sparkps.ps.wire.Message;
import java.nio.FloatBuffer;

/**
 * A reply read by a {@link ShardConnection}: its header and a view of its payload floats, valid
 * only until the next read on that connection (copy them out at once).
 */
record Reply(Message header, FloatBuffer payload) {}
