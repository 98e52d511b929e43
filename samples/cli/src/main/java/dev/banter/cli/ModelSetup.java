package dev.banter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banter.api.ChatModel;
import dev.banter.api.GenerationOptions;
import dev.banter.core.Banter;
import dev.banter.samples.demo.DemoModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Builds the {@link ChatModel} the backend options describe, with the command line's sampling
 * options as the model's defaults (under what each request sets). The local backend with no model
 * named gets the bundled demo model, with the sampling it was trained for and its stop sequence
 * under the command line's.
 */
final class ModelSetup {
  /** The default persona when the command line and the configuration name none. */
  enum PersonaDefault {
    /** Chat talks to {@code witty}. */
    WITTY,
    /** Serve passes requests through: OpenAI clients bring their own system prompts. */
    NONE
  }

  final ChatModel model;
  /** The primary backend's id. */
  final String backendId;
  /** What the user would call the model: a file name, a model name, or the backend's default. */
  final String modelLabel;
  /** The model's default options: the command line's, over the demo model's when it runs. */
  final GenerationOptions defaults;
  final boolean demo;

  private ModelSetup(ChatModel model, String backendId, String modelLabel, GenerationOptions defaults, boolean demo) {
    this.model = model;
    this.backendId = backendId;
    this.modelLabel = modelLabel;
    this.defaults = defaults;
    this.demo = demo;
  }

  /** How the demo model samples best: lively but not unhinged, and no echoed "User:" turns. */
  static GenerationOptions demoDefaults() {
    return GenerationOptions.builder().temperature(0.8).topP(0.95).repetitionPenalty(1.1).stop(DemoModel.STOP).build();
  }

  /**
   * Builds the model, showing a spinner on a terminal while the backend loads (unless {@code progress} is false).
   *
   * @throws dev.banter.api.ConfigurationException for an unknown backend or persona, a bad setting or config file
   * @throws dev.banter.api.ModelLoadException when the model file cannot be loaded
   * @throws UsageException when {@code --backend} conflicts with the configuration file
   */
  static ModelSetup build(BackendOptions o, String persona, PersonaDefault personaDefault, GenerationOptions sampling,
      Io io, boolean progress) {
    ConfigPeek peek = o.config == null ? ConfigPeek.NOTHING : ConfigPeek.read(o.config);
    Banter.Builder b = Banter.builder().environment(io::env);
    if (o.config != null) {
      b.configFile(o.config);
    }
    String backendId;
    if (o.backend != null) {
      if (peek.backend != null && !peek.backend.equals(o.backend)) {
        throw new UsageException("--backend " + o.backend + " conflicts with backend '" + peek.backend + "' in "
            + o.config + "; drop one of them.");
      }
      backendId = o.backend;
      if (peek.backend == null) {
        b.backend(backendId);
      }
    } else if (peek.backend != null) {
      backendId = peek.backend;
    } else {
      backendId = "local";
      b.backend(backendId);
    }
    o.settings.forEach(b::set);
    String hfLabel = null;
    if (o.model != null) {
      String model = o.model;
      if (backendId.equals("local")) {
        // A Hugging Face name (Org/Repo:QUANT) stands for the file 'banter models pull' put in the cache.
        model = HfModels.resolveSetting(o.model, io.modelsDir());
        hfLabel = model.equals(o.model) ? null : o.model;
      }
      b.set("model", model);
    }
    for (Path f : o.personaFiles) {
      b.addPersonaFile(f);
    }
    if (persona != null) {
      b.persona(persona);
    } else if (!peek.persona) {
      if (personaDefault == PersonaDefault.WITTY) {
        b.persona("witty");
      } else {
        b.noDefaultPersona();
      }
    }
    String modelSetting = o.model != null ? o.model : o.settings.getOrDefault("model", peek.model);
    boolean demo = backendId.equals("local") && modelSetting == null;
    GenerationOptions defaults = sampling;
    if (demo) {
      Path file = DemoModel.extractTo(io.modelsDir());
      b.set("model", file.toString());
      modelSetting = file.toString();
      defaults = sampling.withDefaults(demoDefaults());
    }
    b.defaultOptions(defaults);
    String label = modelSetting == null ? backendId
        : hfLabel != null ? hfLabel
        : backendId.equals("local") ? String.valueOf(Paths.get(modelSetting).getFileName()) : modelSetting;
    ChatModel model = Spinner.during(io, progress, "Loading " + label, b::build);
    return new ModelSetup(model, backendId, label, defaults, demo);
  }

  /** The few fields of a configuration file the command line must know about before core reads it. */
  static final class ConfigPeek {
    static final ConfigPeek NOTHING = new ConfigPeek(null, null, false);

    final String backend;
    final String model;
    final boolean persona;

    private ConfigPeek(String backend, String model, boolean persona) {
      this.backend = backend;
      this.model = model;
      this.persona = persona;
    }

    /** What the file says, or nothing where it cannot be read (core then reports the problem). */
    static ConfigPeek read(Path file) {
      try {
        if (Files.size(file) > (1 << 20)) {
          return NOTHING;
        }
        JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
        if (root == null || !root.isObject()) {
          return NOTHING;
        }
        JsonNode backend = root.path("backend");
        JsonNode model = root.path("settings").path("model");
        return new ConfigPeek(backend.isTextual() ? backend.textValue() : null,
            model.isTextual() ? model.textValue() : null, root.has("persona"));
      } catch (IOException e) {
        return NOTHING;
      }
    }
  }
}
