package io.sparkps.driver.registry;

import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelFormatException;
import io.sparkps.core.io.ModelHeader;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Numbered model versions and the {@code CURRENT} pointer of one registry (layout and guarantees
 * in the package documentation).
 *
 * <p>Promotion is two steps in this order: write the version directory (atomic, never over an
 * existing one), then move the pointer (atomic). A failure between them leaves the pointer on
 * the previous version and the new directory unreferenced; the next promotion takes the number
 * after it. Both steps run under the registry's lock file ({@code CURRENT.lock}), and only if
 * {@code CURRENT} still names the version the candidate was compared with: of two retrainings of
 * one registry at the same time, the second to promote fails with {@link CurrentMovedException}
 * and writes nothing.
 */
public final class ModelRegistry {

  /** Where rejected candidates are kept, under a timestamp each. */
  public static final String REJECTED = "rejected";

  private static final Pattern VERSION = Pattern.compile("v\\d{4,}");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** A version read back: its name and its checked model. */
  public record Version(String name, LoadedModel model) {
  }

  /** A trained model to record: header, parameters and the extra files of its directory. */
  public record Candidate(ModelHeader header, float[] params, Map<String, byte[]> files) {
    public Candidate {
      files = Map.copyOf(files);
    }
  }

  /** {@code CURRENT} no longer names the version a candidate was compared with. */
  public static final class CurrentMovedException extends IOException {
    private final Optional<String> comparedWith;
    private final Optional<String> now;

    CurrentMovedException(String location, Optional<String> comparedWith, Optional<String> now) {
      super(RegistryStore.POINTER + " of " + location + " moved from "
          + comparedWith.orElse("no version") + " to " + now.orElse("no version")
          + " while this candidate was trained and compared with "
          + comparedWith.orElse("no version") + " (another retrain promoted its candidate); "
          + "nothing was written, so run retrain again to compare with "
          + now.orElse("no version"));
      this.comparedWith = comparedWith;
      this.now = now;
    }

    /** The version the candidate was compared with. */
    public Optional<String> comparedWith() {
      return comparedWith;
    }

    /** The version {@code CURRENT} names now. */
    public Optional<String> now() {
      return now;
    }
  }

  private final RegistryStore store;
  private final Duration lockWait;

  public ModelRegistry(RegistryStore store) {
    this(store, Duration.ofSeconds(30));
  }

  /** A registry whose promotions wait up to {@code lockWait} for another one's lock. */
  public ModelRegistry(RegistryStore store, Duration lockWait) {
    this.store = store;
    this.lockWait = lockWait;
  }

  public RegistryStore store() {
    return store;
  }

  /** The current version, read and checked; empty before the first promotion. */
  public Optional<Version> current() throws IOException {
    Optional<String> pointer = store.readPointer();
    if (pointer.isEmpty()) {
      return Optional.empty();
    }
    String name = pointer.get();
    if (!VERSION.matcher(name).matches()) {
      throw new ModelFormatException(RegistryStore.POINTER + " in " + store.location()
          + " names '" + name + "', which is not a version such as v0001; write the name of an "
          + "existing version directory into it");
    }
    if (!store.exists(name)) {
      throw new ModelFormatException(RegistryStore.POINTER + " in " + store.location()
          + " names " + name + ", but there is no such version; the versions are " + versions()
          + ", so write one of them into " + RegistryStore.POINTER);
    }
    return Optional.of(new Version(name, store.readModel(name)));
  }

  /** The numbered version directories, oldest first (written ones, current or not). */
  public List<String> versions() throws IOException {
    return store.listDirectories("").stream().filter(n -> VERSION.matcher(n).matches())
        .sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
  }

  /** The name the next promotion takes: one more than the highest version ever written. */
  public String nextVersion() throws IOException {
    List<String> all = versions();
    int last = all.isEmpty() ? 0 : number(all.get(all.size() - 1));
    return String.format(Locale.ROOT, "v%04d", last + 1);
  }

  /** Promotes {@code candidate} over whatever version is current now. */
  public String promote(Candidate candidate) throws IOException {
    return promote(candidate, store.readPointer());
  }

  /**
   * Writes {@code candidate} as the next version, then points {@code CURRENT} at it, holding the
   * registry's lock, and only if {@code CURRENT} still names {@code comparedWith} (empty: no
   * version yet); otherwise throws {@link CurrentMovedException} and writes nothing.
   */
  public String promote(Candidate candidate, Optional<String> comparedWith) throws IOException {
    return promote(comparedWith, name -> store.writeModel(name, candidate.header(),
        candidate.params(), candidate.files()));
  }

  /**
   * Writes a version's directory under a name the registry gives, atomically and never over an
   * existing one: the model directories of another kind (the sparkps-dl4j module's DL4J
   * networks) use the registry's versions, pointer and lock through it.
   */
  @FunctionalInterface
  public interface VersionWriter {
    void write(String name) throws IOException;
  }

  /**
   * As {@link #promote(Candidate, Optional)}, the version written by {@code writer} (into
   * {@code store().location()/name}).
   */
  public String promote(Optional<String> comparedWith, VersionWriter writer) throws IOException {
    lock();
    try {
      Optional<String> now = store.readPointer();
      if (!now.equals(comparedWith)) {
        throw new CurrentMovedException(store.location(), comparedWith, now);
      }
      String name = nextVersion();
      writer.write(name);
      store.writePointer(name);
      return name;
    } finally {
      store.deleteLock();
    }
  }

  private void lock() throws IOException {
    String owner = ProcessHandle.current().pid() + "@" + hostName() + " since " + Instant.now();
    long deadline = System.nanoTime() + lockWait.toNanos();
    while (!store.createLock(owner)) {
      if (System.nanoTime() > deadline) {
        throw new IOException(store.location() + " is locked by "
            + store.readLock().orElse("a promotion that has just ended") + " ("
            + RegistryStore.LOCK + "), still after " + lockWait.toSeconds() + " s: another "
            + "retrain is promoting; if none is running (a crash left the lock), delete "
            + RegistryStore.LOCK + " and run retrain again");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted waiting for " + RegistryStore.LOCK
            + " of " + store.location());
      }
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown-host";
    }
  }

  /** Writes {@code candidate} under {@code rejected/<timestamp>}; {@code CURRENT} stays. */
  public String reject(Candidate candidate, Instant at) throws IOException {
    return reject(at, name -> store.writeModel(name, candidate.header(), candidate.params(),
        candidate.files()));
  }

  /** As {@link #reject(Candidate, Instant)}, the candidate written by {@code writer}. */
  public String reject(Instant at, VersionWriter writer) throws IOException {
    String base = REJECTED + "/" + STAMP.format(at);
    String name = base;
    for (int i = 2; store.exists(name); i++) {
      name = base + "-" + i;
    }
    writer.write(name);
    return name;
  }

  private static int number(String version) {
    return Integer.parseInt(version.substring(1));
  }
}
