/**
 * The model registry behind {@code sparkps retrain}: numbered model versions ({@code v0001},
 * {@code v0002}, ...) in one directory, a {@code CURRENT} pointer that changes atomically, audited
 * rejections under {@code rejected/}, and the gate that decides between a candidate and the
 * current model.
 *
 * <p>Layout of a registry directory:
 * <pre>
 *   CURRENT                 one line naming the current version, such as v0002
 *   CURRENT.lock            only while a promotion runs: who holds it, since when
 *   v0001/                  a complete model directory (model.json, params.bin, metrics.json,
 *   v0002/                  job.yaml) plus data.json: the training data and the gate decision
 *   rejected/&lt;timestamp&gt;/   a candidate the gate refused, with the same files
 * </pre>
 *
 * <p>Guarantees: a version directory is written once, by renaming a finished temporary directory
 * into place, and never overwritten; {@code CURRENT} is replaced by renaming a finished temporary
 * file over it; a version becomes current only after it is complete. A crash at any point
 * therefore leaves {@code CURRENT} naming a complete version (or absent, before the first one).
 * A version written but never pointed to (a crash between the two steps) is left as it is and the
 * next version takes the next number. A promotion writes the version and moves the pointer while
 * holding {@code CURRENT.lock} (created exclusively), and only if {@code CURRENT} still names the
 * version the candidate was compared with, so concurrent retrainings never promote a candidate
 * that was not compared with the version it replaces.
 *
 * <p>Storage goes through {@link io.sparkps.driver.registry.RegistryStore}: local paths with
 * {@code java.nio}, {@code hdfs://} and other Hadoop file systems with Hadoop's
 * {@code FileContext}.
 */
package io.sparkps.driver.registry;
