package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.driver.tools.ExternalTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every shell block of README.md, in order, after {@code package} (so {@code bin/sparkps}
 * runs the built driver): the README cannot drift from the code. Paths under {@code /tmp/} are
 * moved into a scratch folder. A block preceded by {@code <!-- readme-test: not run: REASON -->}
 * is not run; its {@code sparkps} subcommands and their options are checked against the
 * command line's own help instead, and the scripts it names must exist.
 */
class ReadmeIT {
  private static final Pattern FENCE = Pattern.compile("^```(bash|sh|shell)\\s*$");
  private static final Pattern NOT_RUN = Pattern.compile("^<!-- readme-test: not run: (.+) -->$");

  @TempDir
  static Path scratch;

  /** A fenced shell block: its first line number, its text, and why it is not run (or null). */
  record Block(int line, String text, String notRun) {
  }

  static List<Block> blocks() throws Exception {
    List<String> lines = Files.readAllLines(ExternalTools.root().resolve("README.md"));
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (FENCE.matcher(lines.get(i)).matches()) {
        int start = i + 1;
        StringBuilder text = new StringBuilder();
        for (i = start; !lines.get(i).startsWith("```"); i++) {
          text.append(lines.get(i)).append('\n');
        }
        Matcher m = start >= 2 ? NOT_RUN.matcher(lines.get(start - 2)) : NOT_RUN.matcher("");
        out.add(new Block(start + 1, text.toString(), m.matches() ? m.group(1) : null));
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everyShellBlockRuns() throws Exception {
    List<Block> blocks = blocks();
    assertTrue(blocks.stream().filter(b -> b.notRun() == null).count() >= 6, "README blocks: "
        + blocks);
    return blocks.stream().map(b -> DynamicTest.dynamicTest("README.md line " + b.line()
        + (b.notRun() == null ? "" : " (checked, not run)"),
        () -> {
          if (b.notRun() == null) {
            run(b);
          } else {
            check(b);
          }
        }));
  }

  private static void run(Block b) {
    String script = b.text().replace("/tmp/", scratch.toString() + "/");
    ExternalTools.Result r = ExternalTools.run(List.of("bash", "-euo", "pipefail", "-c", script),
        ExternalTools.root(), 600, Map.of("SPARKPS_SKIP_BUILD", "1"));
    assertEquals(0, r.code(), "README.md line " + b.line() + " failed:\n" + script + "\n"
        + tail(r.output()));
  }

  /** A block not run: its scripts exist, its subcommands and options are the CLI's. */
  private static void check(Block b) {
    Path root = ExternalTools.root();
    Matcher script = Pattern.compile("(?<![\\w/])((bin|deploy|notebooks-data/notebooks)/"
        + "[\\w.-]+)").matcher(b.text());
    boolean any = false;
    while (script.find()) {
      any = true;
      Path file = root.resolve(script.group(1));
      assertTrue(script.group(2).startsWith("notebooks") ? Files.isRegularFile(file)
          : Files.isExecutable(file), script.group(1) + " named at README.md line " + b.line()
          + " is missing or not executable");
    }
    assertTrue(any, "README.md line " + b.line() + " names no script of this repository");
    Matcher sub = Pattern.compile("(?:bin/sparkps|\\s--)\\s+(train|evaluate|predict|retrain|"
        + "report|synth|resume)\\b([^\\n]*(?:\\\\\\n[^\\n]*)*)").matcher(b.text());
    while (sub.find()) {
      String help = help(sub.group(1));
      Matcher opt = Pattern.compile("(--[a-z][a-z0-9-]*)").matcher(sub.group(2));
      while (opt.find()) {
        assertTrue(Pattern.compile(Pattern.quote(opt.group(1)) + "(?![a-z-])").matcher(help)
            .find(), "sparkps " + sub.group(1) + " has no "
            + opt.group(1) + " (README.md line " + b.line() + ")");
      }
    }
  }

  private static String help(String subcommand) {
    StringWriter out = new StringWriter();
    int code = SparkPsCli.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(),
        true), subcommand, "--help");
    assertEquals(0, code);
    return out.toString();
  }

  @Test
  void theTestCommandIsWhatCiRunsAndTheReadmeStaysShort() throws Exception {
    Path root = ExternalTools.root();
    String readme = Files.readString(root.resolve("README.md"));
    assertTrue(readme.length() <= 13_500, "README.md is " + readme.length()
        + " characters; keep it a short guide (about 13 KB) and put details in docs/");
    assertTrue(readme.contains("```bash\nbin/test\n```"), "the README gives bin/test");
    List<String> ci = Files.readAllLines(root.resolve(".ci/run")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("set ")
            && !l.startsWith("cd ")).toList();
    assertEquals(List.of("exec bin/test"), ci, ".ci/run must run exactly the README's command");
    assertTrue(readme.contains("## For DL4J users"), "the DL4J heading stays");
    for (Block b : blocks()) {
      assertFalse(b.notRun() != null && b.notRun().isBlank(), "a block not run says why");
    }
  }

  private static String tail(String s) {
    return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
  }
}
