package io.sparkps.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a binary LibSVM file as sparse rows without densifying: {@code label index:value ...},
 * labels -1/+1 (or 0/1) to 0/1, indices 1-based, ascending and unique, at most {@code features}.
 */
final class SparseLibSvm {
  private SparseLibSvm() {
  }

  static SparseRows read(Path file, int features) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("dataset file " + file + " does not exist; pass "
          + "--data-dir with the folder that holds a9a/ (the team's shared/datasets)");
    }
    SparseRows.Builder b = new SparseRows.Builder(features);
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] t = line.split("\\s+");
        double label = label(t[0], file, no);
        int last = 0;
        for (int k = 1; k < t.length; k++) {
          int colon = t[k].indexOf(':');
          int index;
          double value;
          try {
            index = Integer.parseInt(t[k].substring(0, colon));
            value = Double.parseDouble(t[k].substring(colon + 1));
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " line " + no + ": '" + t[k] + "' is not "
                + "index:value; LibSVM rows are 'label index:value ...'");
          }
          if (index <= last || index > features) {
            throw new IllegalArgumentException(file + " line " + no + ": index " + index
                + (index <= last ? " does not ascend after " + last : " exceeds the "
                + features + " features") + "; indices are 1-based, ascending and unique");
          }
          last = index;
          b.put(index - 1, value, 0);
        }
        b.endRow(label);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return b.build();
  }

  private static double label(String s, Path file, int line) {
    switch (s) {
      case "-1", "-1.0", "0", "0.0" -> {
        return 0;
      }
      case "+1", "1", "1.0", "+1.0" -> {
        return 1;
      }
      default -> throw new IllegalArgumentException(file + " line " + line + ": label '" + s
          + "' is not binary; a9a's labels are -1 and +1");
    }
  }
}
