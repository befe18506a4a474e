package io.sparkps.driver.registry;

import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelFormatException;
import io.sparkps.core.io.ModelHeader;
import java.io.IOException;
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
 * after it. One retraining at a time per registry: a concurrent one that picks the same number
 * fails when it writes, without harm.
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

  private final RegistryStore store;

  public ModelRegistry(RegistryStore store) {
    this.store = store;
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

  /** Writes {@code candidate} as the next version, then points {@code CURRENT} at it. */
  public String promote(Candidate candidate) throws IOException {
    String name = nextVersion();
    store.writeModel(name, candidate.header(), candidate.params(), candidate.files());
    store.writePointer(name);
    return name;
  }

  /** Writes {@code candidate} under {@code rejected/<timestamp>}; {@code CURRENT} stays. */
  public String reject(Candidate candidate, Instant at) throws IOException {
    String base = REJECTED + "/" + STAMP.format(at);
    String name = base;
    for (int i = 2; store.exists(name); i++) {
      name = base + "-" + i;
    }
    store.writeModel(name, candidate.header(), candidate.params(), candidate.files());
    return name;
  }

  private static int number(String version) {
    return Integer.parseInt(version.substring(1));
  }
}
