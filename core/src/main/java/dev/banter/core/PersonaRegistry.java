package dev.banter.core;

import dev.banter.api.ConfigurationException;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.Persona;
import dev.banter.spi.PersonaProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The personas of one runtime, by id: the built-in {@code witty} and {@code regular}, those of
 * every {@link PersonaProvider} on the class path, and those added to the builder. An id taken
 * twice is an error naming both sources.
 */
final class PersonaRegistry {
  private static final Logger LOG = Logger.getLogger(PersonaRegistry.class.getName());
  static final List<String> BUILT_IN = List.of("witty", "regular");

  private final Map<String, Persona> personas;

  private PersonaRegistry(Map<String, Persona> personas) {
    this.personas = personas;
  }

  static PersonaRegistry create(ClassLoader loader, List<Persona> added) {
    Map<String, Persona> map = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (String id : BUILT_IN) {
      put(map, sources, PersonaFiles.readResource("/dev/banter/core/personas/" + id + ".json"), "built-in");
    }
    Iterator<PersonaProvider> it = ServiceLoader.load(PersonaProvider.class, loader).iterator();
    while (true) {
      PersonaProvider p;
      try {
        if (!it.hasNext()) {
          break;
        }
        p = it.next();
      } catch (ServiceConfigurationError e) {
        LOG.log(Level.WARNING, "A Banter persona provider failed to load and is skipped: " + e.getMessage(), e);
        continue;
      }
      for (Persona persona : p.personas()) {
        put(map, sources, persona, p.getClass().getName());
      }
    }
    for (Persona persona : added) {
      put(map, sources, persona, "the builder");
    }
    return new PersonaRegistry(Collections.unmodifiableMap(map));
  }

  private static void put(Map<String, Persona> map, Map<String, String> sources, Persona p, String source) {
    String previous = sources.putIfAbsent(p.id(), source);
    if (previous != null) {
      throw new ConfigurationException("Two personas use the id '" + p.id() + "': one from " + previous
          + ", one from " + source + ". Give one of them another id.", source, "id", null);
    }
    map.put(p.id(), p);
  }

  Optional<Persona> find(String id) {
    return Optional.ofNullable(personas.get(id));
  }

  /** @throws ConfigurationException listing the known ids */
  Persona require(String id) {
    Persona p = personas.get(id);
    if (p == null) {
      throw new ConfigurationException(unknown(id), "persona", id, null);
    }
    return p;
  }

  /**
   * The persona a request names.
   *
   * @throws InvalidRequestException for the parameter {@code persona}, listing the known ids
   */
  Persona requireForRequest(String id) {
    Persona p = personas.get(id);
    if (p == null) {
      throw new InvalidRequestException(unknown(id), null, "persona", null);
    }
    return p;
  }

  private String unknown(String id) {
    return "Unknown persona '" + id + "'. Available: " + String.join(", ", personas.keySet())
        + ". Add personas as JSON files or a PersonaProvider.";
  }

  List<Persona> all() {
    return new ArrayList<>(personas.values());
  }
}
