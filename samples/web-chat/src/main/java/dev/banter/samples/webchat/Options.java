package dev.banter.samples.webchat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The web chat's command line, parsed and checked. Immutable. */
final class Options {
  static final String USAGE = """
      Usage: web-chat [options]

      Serves a chat page that streams the model's answers as they are generated.

        --backend ID          backend to talk to: local (default), inference-server, xai, openai, or a plugin's id
        --model NAME          the model: a GGUF file for local (default: the bundled demo model),
                              a model name for the others
        --set KEY=VALUE       a backend setting, e.g. --set threads=4 or --set endpoints=http://gpu1:8000/v1;
                              may be repeated
        --persona ID          the persona new conversations start with (default witty)
        --persona-file FILE   adds a persona from a JSON file; may be repeated
        --host ADDRESS        address to listen on (default 127.0.0.1)
        --port N              port to listen on (default 8080; 0 picks a free one)
        --pace DURATION       at most one streamed piece per interval, e.g. 60ms (default: as fast as generated)
        --help                prints this text""";

  final String backend;
  final Optional<String> model;
  final Map<String, String> settings;
  final String persona;
  final List<Path> personaFiles;
  final String host;
  final int port;
  final Duration pace;
  final boolean help;

  private Options(String backend, Optional<String> model, Map<String, String> settings, String persona,
      List<Path> personaFiles, String host, int port, Duration pace, boolean help) {
    this.backend = backend;
    this.model = model;
    this.settings = Collections.unmodifiableMap(settings);
    this.persona = persona;
    this.personaFiles = Collections.unmodifiableList(personaFiles);
    this.host = host;
    this.port = port;
    this.pace = pace;
    this.help = help;
  }

  /** Whether the bundled demo model answers: the local backend without a model of the user's. */
  boolean usesDemoModel() {
    return backend.equals("local") && !model.isPresent() && !settings.containsKey("model");
  }

  /** @throws IllegalArgumentException with a message fit for the user */
  static Options parse(String... args) {
    String backend = "local";
    String model = null;
    Map<String, String> settings = new LinkedHashMap<>();
    String persona = "witty";
    List<Path> personaFiles = new ArrayList<>();
    String host = "127.0.0.1";
    int port = 8080;
    Duration pace = Duration.ZERO;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      if (name.equals("--help") || name.equals("-h")) {
        help = true;
        continue;
      }
      if (!name.startsWith("--")) {
        throw new IllegalArgumentException("Unexpected argument '" + arg + "'; options start with --.");
      }
      String value;
      if (inline != null) {
        value = inline;
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("Option " + name + " needs a value.");
      }
      switch (name) {
        case "--backend" -> backend = nonEmpty(name, value);
        case "--model" -> model = nonEmpty(name, value);
        case "--set" -> {
          int at = value.indexOf('=');
          if (at <= 0) {
            throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + value + "'.");
          }
          settings.put(value.substring(0, at).trim(), value.substring(at + 1));
        }
        case "--persona" -> persona = nonEmpty(name, value);
        case "--persona-file" -> personaFiles.add(Paths.get(nonEmpty(name, value)));
        case "--host" -> host = nonEmpty(name, value);
        case "--port" -> port = port(value);
        case "--pace" -> pace = duration(name, value);
        default -> throw new IllegalArgumentException("Unknown option " + name
            + ". Run with --help to see the options.");
      }
    }
    return new Options(backend, Optional.ofNullable(model), settings, persona, personaFiles,
        host, port, pace, help);
  }

  private static String nonEmpty(String option, String value) {
    if (value.trim().isEmpty()) {
      throw new IllegalArgumentException("Option " + option + " needs a non-empty value.");
    }
    return value.trim();
  }

  private static int port(String value) {
    int p;
    try {
      p = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port needs a number from 0 to 65535, got '" + value + "'.");
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("--port needs a number from 0 to 65535, got " + p + ".");
    }
    return p;
  }

  /** {@code 250ms}, {@code 2s}; at most a minute, since it is the pause between two pieces of text. */
  static Duration duration(String option, String value) {
    String v = value.trim();
    long amount;
    Duration d;
    try {
      if (v.endsWith("ms")) {
        amount = Long.parseLong(v.substring(0, v.length() - 2).trim());
        d = Duration.ofMillis(amount);
      } else if (v.endsWith("s")) {
        amount = Long.parseLong(v.substring(0, v.length() - 1).trim());
        d = Duration.ofSeconds(amount);
      } else {
        throw new NumberFormatException(v);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a duration such as 60ms or 1s, got '" + value + "'.");
    }
    if (d.isNegative() || d.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(option + " must be from 0ms to 60s, got '" + value + "'.");
    }
    return d;
  }
}
