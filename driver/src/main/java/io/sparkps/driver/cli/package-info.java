/**
 * The subcommands of {@code sparkps} and their option groups (picocli mixins): data, model and
 * algorithm options are declared once and shared by the commands that take them.
 */
package io.sparkps.driver.cli;
