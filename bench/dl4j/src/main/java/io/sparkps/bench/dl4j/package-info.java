/** deeplearning4j's Spark training as the comparison's baseline, in a JVM of its own. */
package io.sparkps.bench.dl4j;
