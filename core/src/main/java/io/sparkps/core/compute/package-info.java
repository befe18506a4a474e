/**
 * Compute backends: where a model's dense-layer loops run. The CPU backend is built in; others
 * plug in through {@link java.util.ServiceLoader} and are chosen per job by name.
 */
package io.sparkps.core.compute;
