/**
 * Model files on Hadoop file systems, shared by the model registry and the Spark ML writer:
 * written by atomic rename, read through a checked local copy.
 */
package io.sparkps.driver.io;
