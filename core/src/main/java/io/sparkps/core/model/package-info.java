/**
 * Models as pure math over a flat parameter vector: the {@link io.sparkps.core.model.ModelSpec}
 * that describes one (typed in JSON), the {@link io.sparkps.core.model.Model} that runs its
 * forward pass and backpropagation (dense networks, and the sparse models over keyed rows:
 * sparse linear/logistic/softmax regression, factorization machines, wide and deep), and the three separate pieces of what training minimizes: the
 * {@link io.sparkps.core.model.Loss}, the {@link io.sparkps.core.model.Activation}s in between,
 * and the {@link io.sparkps.core.model.Regularizer}, joined in an
 * {@link io.sparkps.core.model.Objective}. Nothing here knows that training is distributed.
 */
package io.sparkps.core.model;
