/**
 * Examples in memory: {@link io.sparkps.core.data.Block}s, dense row-major
 * {@link io.sparkps.core.data.ExampleBlock}s or compressed sparse rows
 * ({@link io.sparkps.core.data.SparseBlock}), the
 * {@link io.sparkps.core.data.RowParser} that turns text rows into them with errors that name
 * file, line, column and value, label encoding, standardization and seeded shuffles.
 */
package io.sparkps.core.data;
