/**
 * The model file format: one format for every model SparkPS trains, written by
 * {@link io.sparkps.core.io.ModelFile#write} and read by {@link io.sparkps.core.io.ModelFile#read}.
 *
 * <h2>On-disk layout (format version 2)</h2>
 *
 * A model is a directory holding exactly two files:
 * <pre>
 * my-model/
 *   model.json    the header: UTF-8 JSON, indented
 *   params.bin    the flat parameter vector: parameterCount little-endian IEEE-754 32-bit floats,
 *                 no header, no padding, nothing else (4 * parameterCount bytes)
 * </pre>
 *
 * <h3>model.json</h3>
 * <pre>
 * {
 *   "formatVersion" : 2,                          // int; readers take 1 and 2, refuse others
 *   "sparkpsVersion" : "0.1.0",                   // the writer's version (informational)
 *   "createdAt" : "2026-01-31T12:00:00.123Z",     // ISO-8601 instant
 *   "spec" : {                                    // io.sparkps.core.model.ModelSpec, typed
 *     "type" : "dense",                           // dense, sparse-linear, fm or wide-deep
 *     "kind" : "MLP", "inputs" : 28, "hidden" : [ 64, 64 ], "activation" : "RELU",
 *     "outputs" : 1, "loss" : { "type" : "log" }
 *   },
 *   "featureNames" : [ "f0", ... ],               // one per input, in column order
 *   "labels" : [ "background", "signal" ],        // class names by index; [] for regression
 *   "standardization" : { "mean" : [ ... ], "scale" : [ ... ] },   // x' = (x - mean) / scale
 *   "training" : { "epochs" : 10, "batchSize" : 256, "optimizer" : { "type" : "adam", ... },
 *                  ... },                         // io.sparkps.core.train.TrainingConfig
 *   "metrics" : { "accuracy" : 0.91, "logLoss" : 0.23, "auc" : 0.95 },   // may be empty
 *   "parameterCount" : 6081,                      // floats in params.bin
 *   "checksum" : "1c291ca3"                       // CRC32C of params.bin, 8 lowercase hex digits
 * }
 * </pre>
 * The order of {@code params.bin} is {@link io.sparkps.core.model.ParameterLayout}: for each
 * layer, its {@code in x out} weights row-major, then its {@code out} biases.
 *
 * <h3>Compatibility</h3>
 * Format version 1 (before sparse models) wrote {@code spec} without its {@code type}; readers
 * take such a file as {@code "type" : "dense"}. Readers ignore JSON properties they do not know, so a field may be added without a new format
 * version. Anything that changes the meaning of an existing field or of {@code params.bin}
 * raises {@code formatVersion}; a reader refuses versions it does not know rather than guess.
 *
 * <h3>What a reader checks</h3>
 * Both files exist; the JSON is well formed; {@code formatVersion} is supported; the header's
 * fields are consistent (feature names, labels and standardizer against the spec);
 * {@code parameterCount} equals the parameter count of the spec; {@code params.bin} has exactly
 * {@code 4 * parameterCount} bytes; its CRC32C equals {@code checksum}. Each failure is a
 * {@link io.sparkps.core.io.ModelFormatException} naming the file, the value found and the fix.
 *
 * <h3>Atomic writes</h3>
 * Files are written into a sibling {@code .<name>.tmp-<random>} directory, forced to disk, and
 * the directory is renamed into place; replacing renames the old model aside to
 * {@code .<name>.old-<random>} first and deletes it afterwards. A crash leaves old or new model
 * whole; hidden {@code .tmp-} directories left by a crash are never read and may be deleted.
 */
package io.sparkps.core.io;
