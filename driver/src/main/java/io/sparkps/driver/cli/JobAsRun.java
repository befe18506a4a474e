package io.sparkps.driver.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The job as it ran: every option of a command with its effective value, as a YAML job file
 * that {@code --config} reads back (help, version and the job file itself left out).
 */
public final class JobAsRun {
  private JobAsRun() {
  }

  /** The job without the token files' paths (for a model directory or a registry version). */
  public static byte[] yaml(CommandSpec command) {
    return yaml(command, false);
  }

  /**
   * The job for a run's checkpoint ({@code RunCheckpoint.writeJob}): as {@link #yaml}, with the
   * absolute paths of the token files the run read (never the tokens), so that {@code sparkps
   * resume} finds them again ({@link ResumeOptions}).
   */
  public static byte[] checkpointYaml(CommandSpec command) {
    return yaml(command, true);
  }

  private static byte[] yaml(CommandSpec command, boolean tokenPaths) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (OptionSpec o : command.options()) {
      String name = o.longestName().replaceFirst("^-+", "");
      boolean token = name.equals(ResumeOptions.TOKEN) || name.equals(ResumeOptions.ADMIN_TOKEN);
      if (o.usageHelp() || o.versionHelp() || name.equals("config") || name.equals("verbose")
          || token && !tokenPaths) {
        continue;
      }
      Object v = o.getValue();
      if (v == null || v instanceof Collection<?> c && c.isEmpty()) {
        continue;
      }
      values.put(name, token ? ((java.nio.file.Path) v).toAbsolutePath().toString()
          : v instanceof java.nio.file.Path || v instanceof java.net.URI ? v.toString() : v);
    }
    try {
      return new ObjectMapper(new YAMLFactory()).writeValueAsBytes(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write job.yaml: " + e.getMessage(), e);
    }
  }
}
