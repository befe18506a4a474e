package io.sparkps.driver.cli;

import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the command line's log lines go, with {@code deploy/conf/log4j2.properties}: the
 * console shows SparkPS warnings and the command's own lines; SparkPS INFO, Spark's log and the
 * stack traces behind one-line errors go to the log file. {@link #toConsole} ({@code --verbose},
 * and {@code sparkps ps}, whose INFO lines are its service log) widens what the console shows
 * by setting the properties that file reads and reloading it. Under another configuration
 * (spark-submit with the cluster's, the tests') the properties are unused and nothing changes.
 */
public final class Logs {
  private static final Logger TRACE = LoggerFactory.getLogger("sparkps.trace");

  /** What the console shows. */
  public enum Console {
    /** SparkPS warnings, Spark's log and stack traces too: {@code --verbose}. */
    EVERYTHING,
    /** SparkPS INFO and warnings: a service's log ({@code sparkps ps}). */
    SPARKPS_INFO
  }

  private static volatile boolean verbose;

  private Logs() {
  }

  /** Widens the console's share of the log to {@code what}. */
  public static synchronized void toConsole(Console what) {
    System.setProperty("sparkps.console.sparkps", "info");
    if (what == Console.EVERYTHING) {
      verbose = true;
      System.setProperty("sparkps.console.others", "all");
    }
    if (LogManager.getContext(false) instanceof LoggerContext ctx) {
      ctx.reconfigure();
    }
  }

  /** Logs the stack trace behind a one-line error (to the log file, unless verbose). */
  public static void trace(String what, Throwable e) {
    TRACE.error(what, e);
  }

  /** Whether {@code --verbose} was given. */
  public static boolean verbose() {
    return verbose;
  }

  /** The log file the configuration writes, when it writes one. */
  public static Optional<String> file() {
    if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
      return Optional.empty();
    }
    for (Appender a : ctx.getConfiguration().getAppenders().values()) {
      if (a instanceof RollingFileAppender r) {
        return Optional.of(r.getFileName());
      }
      if (a instanceof FileAppender f) {
        return Optional.of(f.getFileName());
      }
    }
    return Optional.empty();
  }
}
