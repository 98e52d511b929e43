package dev.banter.core;

import dev.banter.api.BanterException;
import dev.banter.api.ChatModel;
import dev.banter.api.ConfigurationException;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Persona;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The entry point: builds a {@link ChatModel} from a backend id and its settings, a default
 * persona, optional fallback backends and resilience settings. Backends are found with
 * {@link ServiceLoader} when {@link Builder#build()} runs; a missing one is an error listing the
 * ids found. This class is not instantiable; builders are not thread-safe, the models they build
 * are.
 *
 * <pre>{@code
 * ChatModel model = Banter.builder()
 *     .backend("xai").set("model", "grok-4")
 *     .fallback("local", Map.of("model", "/models/llama-3.2-3b-q4_k_m.gguf"))
 *     .persona("witty")
 *     .build();
 * System.out.println(model.chat("Tell me about Mars.").text());
 * }</pre>
 */
public final class Banter {
  private Banter() {}

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a model from a JSON configuration file: {@code backend}, {@code settings},
   * {@code fallbacks}, {@code persona}, {@code personas} (persona files, relative to the
   * configuration file), {@code resilience}. Setting values may name environment variables as
   * {@code ${NAME}}.
   *
   * @throws ConfigurationException naming the file and the field that is wrong
   */
  public static ChatModel fromConfig(Path file) {
    return builder().configFile(file).build();
  }

  /** Collects the configuration of a runtime. Setters validate at once; not thread-safe. */
  public static final class Builder {
    private String backendId;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final List<FallbackSpec> fallbacks = new ArrayList<>();
    private String persona = "regular";
    private GenerationOptions defaultOptions = GenerationOptions.defaults();
    private final List<Persona> addedPersonas = new ArrayList<>();
    private final List<Path> personaFiles = new ArrayList<>();
    private Resilience resilience = Resilience.defaults();
    private final List<ChatObserver> observers = new ArrayList<>();
    private final List<BackendProvider> providers = new ArrayList<>();
    private ClassLoader classLoader;
    private TimeSource timeSource = TimeSource.system();
    private Function<String, String> environment = System::getenv;

    private Builder() {}

    /**
     * The primary backend, by provider id ({@code local}, {@code inference-server}, {@code xai},
     * {@code openai}, or a plugin's).
     *
     * @throws IllegalStateException if a backend was already chosen
     */
    public Builder backend(String id) {
      Objects.requireNonNull(id, "id");
      if (backendId != null) {
        throw new IllegalStateException("backend was already set to '" + backendId + "'; use fallback(...) to add"
            + " another backend");
      }
      this.backendId = id;
      return this;
    }

    /** A setting of the primary backend. Keys that look secret (api-key, token, ...) are kept as secrets. */
    public Builder set(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value of " + key);
      settings.put(key, value);
      return this;
    }

    /** A secret setting of the primary backend (an API key). */
    public Builder secret(String key, String value) {
      secrets.put(Objects.requireNonNull(key, "key"), Secret.of(value));
      return this;
    }

    /** Several settings of the primary backend. */
    public Builder settings(Map<String, String> values) {
      Objects.requireNonNull(values, "values").forEach(this::set);
      return this;
    }

    /**
     * Adds a backend to the fallback chain: it answers when the ones before it fail before the
     * first token (after their retries) or refuse the call.
     */
    public Builder fallback(String id, Map<String, String> fallbackSettings) {
      fallbacks.add(new FallbackSpec(Objects.requireNonNull(id, "id"),
          new LinkedHashMap<>(Objects.requireNonNull(fallbackSettings, "fallbackSettings"))));
      return this;
    }

    /** The default persona, by id ({@code regular} unless set). */
    public Builder persona(String personaId) {
      this.persona = Objects.requireNonNull(personaId, "personaId");
      return this;
    }

    /**
     * Sampling options for every call, under what the call sets itself and over the persona's
     * defaults: a request's own options win, then these, then the persona's.
     */
    public Builder defaultOptions(GenerationOptions options) {
      this.defaultOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** No default persona: requests naming none reach the backend as they are. */
    public Builder noDefaultPersona() {
      this.persona = null;
      return this;
    }

    /** Adds a persona defined in code. */
    public Builder addPersona(Persona p) {
      addedPersonas.add(Objects.requireNonNull(p, "persona"));
      return this;
    }

    /** Adds a persona from a JSON file (read and validated when {@link #build()} runs). */
    public Builder addPersonaFile(Path file) {
      personaFiles.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    public Builder resilience(Resilience resilience) {
      this.resilience = Objects.requireNonNull(resilience, "resilience");
      return this;
    }

    public Builder observer(ChatObserver observer) {
      observers.add(Objects.requireNonNull(observer, "observer"));
      return this;
    }

    /** Uses this provider besides those {@link ServiceLoader} finds (for embedding and tests). */
    public Builder provider(BackendProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** The class loader to discover providers, personas and observers with (the context loader by default). */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** Where time is read and waited; tests pass a virtual clock. */
    public Builder timeSource(TimeSource time) {
      this.timeSource = Objects.requireNonNull(time, "time");
      return this;
    }

    /** The environment backends read variables from (the process environment by default). */
    public Builder environment(Function<String, String> env) {
      this.environment = Objects.requireNonNull(env, "env");
      return this;
    }

    /** Reads a JSON configuration file into this builder (see {@link Banter#fromConfig(Path)}). */
    public Builder configFile(Path file) {
      ConfigFile.apply(Objects.requireNonNull(file, "file"), this, environment);
      return this;
    }

    /**
     * Discovers the backends, creates them, loads personas and returns the model.
     *
     * @throws ConfigurationException when no backend was chosen, an id is unknown (the message lists
     *     the ids found), a setting or persona is invalid
     * @throws dev.banter.api.ModelLoadException when a local model cannot be loaded
     */
    public ChatModel build() {
      ClassLoader loader = classLoader != null ? classLoader : defaultLoader();
      BackendRegistry registry = providers.isEmpty()
          ? BackendRegistry.discover(loader)
          : BackendRegistry.withExtra(BackendRegistry.discover(loader), providers);
      if (backendId == null) {
        throw new ConfigurationException("No backend chosen. Call backend(id) with one of: "
            + String.join(", ", registry.ids()) + ".", "builder", "backend", null);
      }
      List<Persona> personas = new ArrayList<>(addedPersonas);
      for (Path f : personaFiles) {
        personas.add(PersonaFiles.read(f));
      }
      PersonaRegistry personaRegistry = PersonaRegistry.create(loader, personas);
      Persona defaultPersona = persona == null ? null : personaRegistry.require(persona);

      List<ChatObserver> allObservers = new ArrayList<>(observers);
      allObservers.addAll(discoverObservers(loader));

      List<GuardedBackend> chain = new ArrayList<>();
      List<Backend> created = new ArrayList<>();
      try {
        chain.add(create(registry, backendId, settings, secrets, created));
        for (FallbackSpec f : fallbacks) {
          chain.add(create(registry, f.id(), f.settings(), Map.of(), created));
        }
      } catch (RuntimeException e) {
        for (Backend b : created) {
          try {
            b.close();
          } catch (RuntimeException ignored) {
            // the original failure is what the caller needs to see
          }
        }
        throw e;
      }
      return new BanterChatModel(chain, personaRegistry, defaultPersona, defaultOptions, new Observers(allObservers),
          timeSource, resilience);
    }

    private GuardedBackend create(BackendRegistry registry, String id, Map<String, String> values,
        Map<String, Secret> secretValues, List<Backend> created) {
      BackendProvider provider = registry.require(id);
      BackendConfig.Builder cb = BackendConfig.builder(id).environment(environment);
      values.forEach(cb::set);
      secretValues.forEach(cb::secret);
      BackendConfig config = cb.build();
      config.requireKnown(provider.settings());
      Backend backend;
      try {
        backend = provider.create(config);
      } catch (BanterException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new ConfigurationException("Backend provider " + provider.getClass().getName() + " (id '" + id
            + "') failed to create its backend: " + e + ". Check the backend's settings; if they are right, this"
            + " is a bug in the plugin.", provider.getClass().getName(), null, e);
      }
      created.add(backend);
      return new GuardedBackend(id, backend, resilience, timeSource);
    }

    private static ClassLoader defaultLoader() {
      ClassLoader l = Thread.currentThread().getContextClassLoader();
      return l != null ? l : Banter.class.getClassLoader();
    }

    private static List<ChatObserver> discoverObservers(ClassLoader loader) {
      List<ChatObserver> out = new ArrayList<>();
      Iterator<ChatObserver> it = ServiceLoader.load(ChatObserver.class, loader).iterator();
      while (true) {
        try {
          if (!it.hasNext()) {
            break;
          }
          out.add(it.next());
        } catch (ServiceConfigurationError e) {
          java.util.logging.Logger.getLogger(Banter.class.getName())
              .warning("A ChatObserver failed to load and is skipped: " + e.getMessage());
        }
      }
      return out;
    }

    void fromFile(String backend, Map<String, String> fileSettings, List<FallbackSpec> fileFallbacks,
        String filePersona, boolean personaNull, List<Path> files, Resilience fileResilience) {
      if (backend != null) {
        backend(backend);
      }
      settings.putAll(fileSettings);
      fallbacks.addAll(fileFallbacks);
      if (personaNull) {
        persona = null;
      } else if (filePersona != null) {
        persona = filePersona;
      }
      personaFiles.addAll(files);
      if (fileResilience != null) {
        resilience = fileResilience;
      }
    }
  }

  record FallbackSpec(String id, Map<String, String> settings) {}
}
