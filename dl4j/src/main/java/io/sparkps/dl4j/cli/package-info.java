/**
 * The command line's deeplearning4j commands: {@code sparkps train --model dl4j} with
 * {@code --dl4j-config} or {@code --keras}, and {@code evaluate} and {@code predict} of the model
 * directories it writes. The driver finds them through its
 * {@link io.sparkps.driver.cli.CliExtension} service when this module's jar is on the class path.
 */
package io.sparkps.dl4j.cli;
