/**
 * The server side of a keyed parameter server (Li et al., "Scaling Distributed Machine Learning
 * with the Parameter Server", OSDI 2014): tables that hold one row of floats per 64-bit key and
 * grow with the keys touched ({@link io.sparkps.ps.keyed.KeyedTable}), rows created on first
 * touch by a seeded per-key {@link io.sparkps.ps.keyed.RowInitializer}, per-key sparse update
 * rules ({@link io.sparkps.ps.keyed.SparseOptimizer}: AdaGrad, lazy Adam, FTRL-Proximal), and
 * the map from key to shard ({@link io.sparkps.ps.keyed.KeySharding}), and a table as a checked
 * stream of records for checkpoints ({@link io.sparkps.ps.keyed.TableStream}). Pure, single-threaded
 * pieces: the shard that owns a table serializes access to it. {@code parameter-server/KEYED.md}
 * says how the keyed pull and push messages use them.
 */
package io.sparkps.ps.keyed;
