package io.sparkps.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A YAML job file whose keys are the command's long option names without dashes
 * ({@code batch-size: 256}, or in camel case, {@code batchSize: 256}); lists become
 * comma-separated values ({@code hidden: [64, 64]}). It supplies defaults, so flags on the
 * command line override the file. An unknown key fails with the list of valid ones.
 */
public final class YamlJobFile implements CommandLine.IDefaultValueProvider {
  private final Path file;
  private final Map<String, String> values;

  private YamlJobFile(Path file, Map<String, String> values) {
    this.file = file;
    this.values = values;
  }

  /** Reads {@code file} and checks its keys against the options of {@code command}. */
  public static YamlJobFile load(Path file, CommandSpec command) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": not a readable YAML job file: "
          + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": a job file is a YAML mapping of option names "
          + "to values, such as 'epochs: 10'");
    }
    Map<String, String> known = new TreeMap<>();
    for (OptionSpec o : command.options()) {
      String name = o.longestName().replaceFirst("^-+", "");
      known.put(name, name);
      known.put(camel(name), name);
    }
    Map<String, String> values = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String option = known.get(e.getKey());
      if (option == null || option.equals("config")) {
        throw new IllegalArgumentException(file + ": unknown key '" + e.getKey() + "'; valid keys "
            + "are the options of '" + command.name() + "': " + new ArrayList<>(
                new java.util.TreeSet<>(known.values())));
      }
      values.put(option, text(e.getValue()));
    }
    return new YamlJobFile(file, values);
  }

  private static String text(JsonNode v) {
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(x.asText()));
      return String.join(",", parts);
    }
    return v.asText();
  }

  static String camel(String dashed) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : dashed.toCharArray()) {
      if (c == '-') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec o) {
      String v = values.get(o.longestName().replaceFirst("^-+", ""));
      if (v != null) {
        return v;
      }
    }
    return arg.defaultValue();
  }

  /** The job file's path, for messages. */
  public Path file() {
    return file;
  }
}
