package dev.banter.core;

import dev.banter.api.ConfigurationException;
import dev.banter.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The backend providers found on a class loader, by id. Built once per runtime. A provider that
 * fails to load is reported (logged, and named in errors) while the others still load; so is one
 * built for another SPI version or with an id that is not lower case, whose error is thrown when
 * its id is chosen. Two providers with one id are a configuration error.
 */
final class BackendRegistry {
  private static final Logger LOG = Logger.getLogger(BackendRegistry.class.getName());
  private static final Map<String, String> KNOWN_ARTIFACTS = Map.of(
      "local", "dev.banter:banter-local",
      "inference-server", "dev.banter:banter-inference-server",
      "xai", "dev.banter:banter-xai",
      "openai", "dev.banter:banter-openai");

  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private final Map<String, BackendProvider> providers;
  private final List<String> loadFailures;
  private final Map<String, ConfigurationException> unusable;

  private BackendRegistry(Map<String, BackendProvider> providers, List<String> loadFailures,
      Map<String, ConfigurationException> unusable) {
    this.providers = providers;
    this.loadFailures = loadFailures;
    this.unusable = unusable;
  }

  static BackendRegistry discover(ClassLoader loader) {
    Map<String, BackendProvider> found = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    Map<String, ConfigurationException> unusable = new TreeMap<>();
    Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, loader).iterator();
    while (true) {
      BackendProvider p;
      try {
        if (!it.hasNext()) {
          break;
        }
        p = it.next();
      } catch (ServiceConfigurationError e) {
        failures.add(e.getMessage());
        LOG.log(Level.WARNING, "A Banter backend provider failed to load and is skipped: " + e.getMessage(), e);
        continue;
      }
      register(found, failures, unusable, p);
    }
    return new BackendRegistry(Collections.unmodifiableMap(found), Collections.unmodifiableList(failures),
        Collections.unmodifiableMap(unusable));
  }

  /** The discovered providers plus {@code extra} (given in code); an id taken twice is an error. */
  static BackendRegistry withExtra(BackendRegistry discovered, List<BackendProvider> extra) {
    Map<String, BackendProvider> found = new TreeMap<>(discovered.providers);
    List<String> failures = new ArrayList<>(discovered.loadFailures);
    Map<String, ConfigurationException> unusable = new TreeMap<>(discovered.unusable);
    for (BackendProvider p : extra) {
      register(found, failures, unusable, p);
    }
    return new BackendRegistry(Collections.unmodifiableMap(found), Collections.unmodifiableList(failures),
        Collections.unmodifiableMap(unusable));
  }

  private static void register(Map<String, BackendProvider> found, List<String> failures,
      Map<String, ConfigurationException> unusable, BackendProvider p) {
    String id = p.id();
    ConfigurationException refused = null;
    if (id == null || !ID.matcher(id).matches()) {
      refused = new ConfigurationException("Backend provider " + p.getClass().getName() + " has the id '" + id
          + "', but ids must be lower-case letters, digits, '.', '_' or '-'. Fix the plugin's id().",
          p.getClass().getName(), "id", null);
    } else if (p.spiVersion() != BackendProvider.SPI_VERSION) {
      refused = new ConfigurationException("Backend provider " + p.getClass().getName() + " (id '" + id
          + "') was built for Banter SPI version " + p.spiVersion() + ", but this runtime speaks version "
          + BackendProvider.SPI_VERSION + ". Use a release of the plugin built for this Banter version.",
          p.getClass().getName(), "spiVersion", null);
    }
    if (refused != null) {
      failures.add(refused.getMessage());
      LOG.log(Level.WARNING, "A Banter backend provider is skipped: " + refused.getMessage());
      if (id != null) {
        unusable.putIfAbsent(id, refused);
      }
      return;
    }
    BackendProvider previous = found.putIfAbsent(id, p);
    if (previous != null && previous.getClass() != p.getClass()) {
      throw new ConfigurationException("Two Banter backend providers claim the id '" + id + "': "
          + previous.getClass().getName() + " and " + p.getClass().getName()
          + ". Remove one of the jars from the class path.", "class path", id, null);
    }
  }

  List<String> ids() {
    return new ArrayList<>(providers.keySet());
  }

  BackendProvider require(String id) {
    BackendProvider p = providers.get(id);
    if (p != null) {
      return p;
    }
    ConfigurationException refused = unusable.get(id);
    if (refused != null) {
      throw new ConfigurationException(refused.getMessage(), refused.source().orElse(null),
          refused.field().orElse(null), null);
    }
    StringBuilder msg = new StringBuilder("No Banter backend with id '").append(id).append("'. Found: ")
        .append(providers.isEmpty() ? "none" : String.join(", ", providers.keySet())).append(". ");
    String artifact = KNOWN_ARTIFACTS.get(id);
    if (artifact != null) {
      msg.append("Add the ").append(artifact).append(" dependency, or choose one of the ids found.");
    } else {
      msg.append("Add the plugin jar that provides '").append(id)
          .append("' to the class path, or choose one of the ids found.");
    }
    if (!loadFailures.isEmpty()) {
      msg.append(" (").append(loadFailures.size()).append(" provider(s) failed to load: ")
          .append(String.join("; ", loadFailures)).append(')');
    }
    throw new ConfigurationException(msg.toString(), "backend", id, null);
  }
}
