package io.sparkps.driver.data;

import io.sparkps.core.data.DataFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The files behind a data path on any Hadoop file system (a file, a directory of files, or a
 * glob), listed on the driver as Hadoop's input formats list them (names starting with
 * {@code _} or {@code .} are left out), and the first lines of a file, which is all the driver
 * ever reads of the data itself.
 *
 * @param path the path as given
 * @param files the data files, sorted
 */
record InputFiles(String path, List<Path> files) {

  InputFiles {
    files = List.copyOf(files);
  }

  static InputFiles list(String path, Configuration conf) {
    if (path.isBlank()) {
      throw new IllegalArgumentException("the data path is blank; pass --data PATH");
    }
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new DataFormatException(path, 0, "no such file or directory; check --data");
      }
      List<Path> files = new ArrayList<>();
      for (FileStatus m : matches) {
        FileStatus[] inside = m.isDirectory() ? fs.listStatus(m.getPath()) : new FileStatus[] {m};
        Arrays.stream(inside).filter(s -> s.isFile() && visible(s.getPath()))
            .forEach(s -> files.add(s.getPath()));
      }
      if (files.isEmpty()) {
        throw new DataFormatException(path, 0, "holds no data files (names starting with _ or . "
            + "are not data); check --data");
      }
      files.sort(Comparator.comparing(Path::toString));
      return new InputFiles(path, files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
    }
  }

  private static boolean visible(Path p) {
    String name = p.getName();
    return !name.startsWith("_") && !name.startsWith(".");
  }

  Path first() {
    return files.get(0);
  }

  /** Parquet when the first file is named {@code .parquet} or starts with Parquet's magic. */
  boolean looksLikeParquet(Configuration conf) {
    if (first().getName().endsWith(".parquet")) {
      return true;
    }
    try (InputStream in = first().getFileSystem(conf).open(first())) {
      byte[] magic = in.readNBytes(4);
      return new String(magic, StandardCharsets.US_ASCII).equals("PAR1");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + first() + ": " + e.getMessage(), e);
    }
  }

  /** LibSVM when the first non-blank line after {@code skip} lines reads {@code label i:v}. */
  boolean looksLikeLibSvm(Configuration conf, int skip) {
    for (String line : head(conf, first(), skip, 64)) {
      if (!line.isBlank()) {
        String[] tok = line.trim().split("[ \t]+");
        return tok.length > 1 && tok[1].matches("\\d+:.*");
      }
    }
    return false;
  }

  /**
   * Up to {@code n} lines of {@code file} after {@code skip} lines, decompressed when Hadoop knows
   * the file's codec (by its extension, as the text input format does).
   */
  static List<String> head(Configuration conf, Path file, int skip, int n) {
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
    try (InputStream raw = file.getFileSystem(conf).open(file);
        InputStream in = codec == null ? raw : codec.createInputStream(raw);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      String line;
      int seen = 0;
      while (lines.size() < n && (line = r.readLine()) != null) {
        if (seen++ >= skip) {
          lines.add(line);
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
