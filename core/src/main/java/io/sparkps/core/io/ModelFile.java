package io.sparkps.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes and reads model directories ({@code model.json} and {@code params.bin}; the layout is in
 * the package documentation).
 *
 * <p>Writes are atomic: both files go into a sibling {@code .<name>.tmp-<random>} directory, are
 * forced to disk, and the directory is renamed into place. With
 * {@link Mode#REPLACE_EXISTING} the old directory is first renamed aside to
 * {@code .<name>.old-<random>}, the new one renamed in, and the old one deleted. A crash therefore
 * leaves every model whole: either the old or the new model is at {@code <name>}, or, if the
 * crash falls between the two renames, the old model is whole at {@code .<name>.old-*} (and
 * {@link #read} says so). Leftover {@code .tmp-} directories are never read and can be deleted.
 */
public final class ModelFile {

  public static final String HEADER_FILE = "model.json";
  public static final String PARAMS_FILE = "params.bin";

  /** What {@link #write} does when the target directory exists. */
  public enum Mode {
    /** Refuse to write. */
    CREATE_NEW,
    /** Replace the existing model atomically. */
    REPLACE_EXISTING
  }

  private ModelFile() {
  }

  /** Writes a new model; fails if {@code dir} exists. */
  public static ModelHeader write(Path dir, ModelHeader header, float[] params)
      throws IOException {
    return write(dir, header, params, Mode.CREATE_NEW);
  }

  /**
   * Writes {@code params} and {@code header}, with its parameter count and checksum set from
   * {@code params}, to the model directory {@code dir}; returns the header as written.
   */
  public static ModelHeader write(Path dir, ModelHeader header, float[] params, Mode mode)
      throws IOException {
    return write(dir, header, params, mode, Map.of());
  }

  /**
   * Writes the model and, in the same atomic step, {@code extraFiles} (name to content, such as
   * a run's {@code metrics.json}) into the model directory.
   */
  public static ModelHeader write(Path dir, ModelHeader header, float[] params, Mode mode,
      Map<String, byte[]> extraFiles) throws IOException {
    int expected = header.spec().build().parameterCount();
    if (params.length != expected) {
      throw new IllegalArgumentException("the model spec needs " + expected + " parameters but "
          + params.length + " were given; pass the parameter vector of this model");
    }
    if (mode == Mode.CREATE_NEW) {
      AtomicDirectory.requireAbsent(dir);
    }
    Path tmp = AtomicDirectory.createTemp(dir);
    try {
      String checksum = ParamsCodec.write(tmp.resolve(PARAMS_FILE), params);
      ModelHeader written = header.withPayload(params.length, checksum);
      AtomicDirectory.writeFile(tmp.resolve(HEADER_FILE), ModelJson.toBytes(written));
      for (Map.Entry<String, byte[]> e : extraFiles.entrySet()) {
        if (e.getKey().equals(HEADER_FILE) || e.getKey().equals(PARAMS_FILE)
            || e.getKey().contains("/") || e.getKey().startsWith(".")) {
          throw new IllegalArgumentException("extra file name '" + e.getKey()
              + "' is reserved or not a plain file name");
        }
        AtomicDirectory.writeFile(tmp.resolve(e.getKey()), e.getValue());
      }
      AtomicDirectory.fsync(tmp);
      if (mode == Mode.REPLACE_EXISTING) {
        AtomicDirectory.publishReplacing(tmp, dir);
      } else {
        AtomicDirectory.publishNew(tmp, dir);
      }
      return written;
    } finally {
      LocalFiles.deleteTree(tmp);
    }
  }

  /** Reads and checks a whole model: header, parameter count and parameter checksum. */
  public static LoadedModel read(Path dir) throws IOException {
    ModelHeader header = readHeader(dir);
    Path params = dir.resolve(PARAMS_FILE);
    if (!Files.isRegularFile(params)) {
      throw new ModelFormatException("model directory " + dir + " has no " + PARAMS_FILE
          + "; a model holds " + HEADER_FILE + " and " + PARAMS_FILE + ", so copy the whole "
          + "directory again");
    }
    return new LoadedModel(header, ParamsCodec.read(params, header.parameterCount(),
        header.checksum()));
  }

  /**
   * Reads and checks the header only (format version, fields, parameter count against the
   * spec), without reading the parameters.
   */
  public static ModelHeader readHeader(Path dir) throws IOException {
    Path file = dir.resolve(HEADER_FILE);
    checkDirectory(dir, file);
    JsonNode tree = parseObject(file);
    checkFormatVersion(file, tree.get("formatVersion"));
    ModelJson.upgrade(tree);
    ModelHeader header;
    try {
      header = ModelJson.toHeader(tree);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(file + " is not a valid model header: " + describe(e)
          + "; fix that field or restore the file", e);
    }
    checkParameterCount(file, header);
    return header;
  }

  private static JsonNode parseObject(Path file) throws IOException {
    JsonNode tree;
    try {
      tree = ModelJson.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ")";
      throw new ModelFormatException(file + " is not valid JSON: " + e.getOriginalMessage()
          + where + "; restore the file from the model's source", e);
    }
    if (tree == null || !tree.isObject()) {
      String found = tree == null || tree.isMissingNode() ? "no content"
          : tree.getNodeType().toString().toLowerCase(Locale.ROOT);
      throw new ModelFormatException(file + " must hold a JSON object, got " + found
          + "; restore the file from the model's source");
    }
    return tree;
  }

  /** Where binding failed (a JSON path) and why, without Jackson's class names when possible. */
  private static String describe(JsonProcessingException e) {
    String where = "";
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      where = "at " + m.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining(".")) + ": ";
    }
    Throwable cause = e.getCause();
    boolean ours = cause instanceof IllegalArgumentException || cause instanceof NullPointerException;
    return where + (ours && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage());
  }

  private static void checkDirectory(Path dir, Path file) throws IOException {
    if (Files.isDirectory(dir)) {
      if (!Files.isRegularFile(file)) {
        throw new ModelFormatException("model directory " + dir + " has no " + HEADER_FILE
            + "; a model holds " + HEADER_FILE + " and " + PARAMS_FILE + ", so point at the "
            + "directory ModelFile.write created, or copy it again");
      }
      return;
    }
    if (Files.exists(dir)) {
      throw new ModelFormatException(dir + " is a file, but a model is a directory holding "
          + HEADER_FILE + " and " + PARAMS_FILE + "; pass the directory");
    }
    List<Path> leftovers = AtomicDirectory.leftoversOf(dir);
    throw new NoSuchFileException(dir.toString(), null, leftovers.isEmpty()
        ? "no model directory there; check the path"
        : "no model directory there, but " + leftovers.get(0).getFileName() + " holds the "
            + "previous model, left by an interrupted replacement; rename it to "
            + dir.getFileName() + " to recover it");
  }

  private static void checkFormatVersion(Path file, JsonNode version) throws ModelFormatException {
    if (version == null || !version.canConvertToExactIntegral()) {
      throw new ModelFormatException(file + " has no integer formatVersion (found "
          + (version == null ? "none" : version.toString()) + "); it is not a SparkPS model "
          + "header, or it was damaged");
    }
    if (version.asInt() < 1 || version.asInt() > ModelHeader.CURRENT_FORMAT_VERSION) {
      throw new ModelFormatException(file + " has formatVersion " + version.asText()
          + ", but this SparkPS (" + ModelHeader.currentSparkpsVersion() + ") reads formatVersion "
          + "1 to " + ModelHeader.CURRENT_FORMAT_VERSION + "; load it with the SparkPS version "
          + "that wrote it, or a newer one");
    }
  }

  private static void checkParameterCount(Path file, ModelHeader header)
      throws ModelFormatException {
    int expected = header.spec().build().parameterCount();
    if (header.parameterCount() != expected) {
      throw new ModelFormatException(file + " declares parameterCount " + header.parameterCount()
          + ", but its spec (" + header.spec().name() + " " + header.spec().shape()
          + ") has " + expected + " parameters; the header was edited or damaged, so restore it");
    }
  }
}
