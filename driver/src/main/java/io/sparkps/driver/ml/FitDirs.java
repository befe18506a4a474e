package io.sparkps.driver.ml;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The keyed estimators' model directories: each fit writes its model into a directory of its own
 * under {@code keyedModelDir}, {@code fit-00001}, {@code fit-00002}, ... (one past the highest
 * there), so that a {@code CrossValidator} or {@code TrainValidationSplit}, which fit an
 * estimator many times, never overwrite a model that one of their fitted models still reads. A
 * fit claims its number by creating {@code fit-NNNNN/.claimed} without overwriting (exclusive on
 * HDFS; fits in one JVM, such as a parallel {@code CrossValidator}'s, also take a lock), so two
 * fits never share a directory.
 */
final class FitDirs {
  /** The file whose exclusive creation claims a fit directory. */
  static final String CLAIMED = ".claimed";
  private static final Pattern FIT = Pattern.compile("fit-(\\d{5,9})");
  private static final int MAX_TRIES = 1000;
  private static final Object LOCK = new Object();

  private FitDirs() {
  }

  /** Claims and returns the next fit directory under {@code parent} (created if absent). */
  static Path claim(FileSystem fs, Path parent) throws IOException {
    synchronized (LOCK) {
      if (fs.exists(parent) && !fs.getFileStatus(parent).isDirectory()) {
        throw new IllegalArgumentException("keyedModelDir " + parent + " is a file; each fit "
            + "writes its model into a directory of its own under keyedModelDir, so give a "
            + "directory (absent or holding earlier fits)");
      }
      fs.mkdirs(parent);
      long next = 1;
      for (FileStatus s : fs.listStatus(parent)) {
        Matcher m = FIT.matcher(s.getPath().getName());
        if (m.matches()) {
          next = Math.max(next, Long.parseLong(m.group(1)) + 1);
        }
      }
      for (int i = 0; i < MAX_TRIES; i++, next++) {
        Path dir = new Path(parent, String.format(Locale.ROOT, "fit-%05d", next));
        try {
          fs.create(new Path(dir, CLAIMED), false).close();
          return dir;
        } catch (FileAlreadyExistsException e) {
          // another driver claimed it meanwhile: take the next number
        }
      }
      throw new IOException("could not claim a fit directory under " + parent + " in "
          + MAX_TRIES + " tries; other fits are writing there: give each driver its own "
          + "keyedModelDir");
    }
  }
}
