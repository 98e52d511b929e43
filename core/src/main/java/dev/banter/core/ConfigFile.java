package dev.banter.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Banter JSON configuration file into a {@link Banter.Builder}.
 *
 * <pre>
 * {
 *   "backend": "xai",
 *   "settings": {"model": "grok-4", "api-key": "${XAI_API_KEY}"},
 *   "fallbacks": [{"backend": "local", "settings": {"model": "models/llama.gguf"}}],
 *   "persona": "witty",
 *   "personas": ["personas/pirate.json"],
 *   "resilience": {"maxAttempts": 3, "initialBackoff": "500ms", "circuitBreaker": false}
 * }
 * </pre>
 */
final class ConfigFile {
  private static final long MAX_BYTES = 1 << 20;
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Set<String> TOP = Set.of("backend", "settings", "fallbacks", "persona", "personas", "resilience");
  private static final Set<String> RESILIENCE = Set.of("maxAttempts", "initialBackoff", "maxBackoff", "multiplier",
      "jitter", "maxRetryAfter", "circuitBreaker", "rateLimitPerSecond", "rateLimitWait", "maxConcurrentCalls",
      "firstTokenTimeout", "idleTimeout");
  private static final Set<String> BREAKER = Set.of("minimumCalls", "failureRatePercent", "openDuration");

  private ConfigFile() {}

  static void apply(Path file, Banter.Builder builder, Function<String, String> env) {
    String source = file.toString();
    JsonNode root;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new ConfigurationException("Configuration file " + source + " is larger than " + MAX_BYTES + " bytes.",
            source, null, null);
      }
      root = CoreJson.MAPPER.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new ConfigurationException("Configuration file " + source + " is not valid JSON at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(),
          source, null, e);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot read configuration file " + source + ": " + e.getMessage(),
          source, null, e);
    }
    if (root == null || !root.isObject()) {
      throw bad(source, "(root)", "a JSON object", root);
    }
    known(root, TOP, "", source);
    Path dir = file.toAbsolutePath().getParent();

    String backend = null;
    if (root.has("backend")) {
      backend = text(root.get("backend"), "backend", source);
    }
    Map<String, String> settings = root.has("settings")
        ? settings(root.get("settings"), "settings", source, env) : Map.of();
    List<Banter.FallbackSpec> fallbacks = new ArrayList<>();
    if (root.has("fallbacks")) {
      JsonNode fs = root.get("fallbacks");
      if (!fs.isArray()) {
        throw bad(source, "fallbacks", "an array of {\"backend\": ..., \"settings\": {...}}", fs);
      }
      for (int i = 0; i < fs.size(); i++) {
        String at = "fallbacks[" + i + "]";
        JsonNode f = fs.get(i);
        if (!f.isObject()) {
          throw bad(source, at, "an object", f);
        }
        known(f, Set.of("backend", "settings"), at + ".", source);
        if (!f.has("backend")) {
          throw new ConfigurationException("Configuration " + source + ": field '" + at
              + ".backend' is missing.", source, at + ".backend", null);
        }
        fallbacks.add(new Banter.FallbackSpec(text(f.get("backend"), at + ".backend", source),
            f.has("settings") ? settings(f.get("settings"), at + ".settings", source, env) : new LinkedHashMap<>()));
      }
    }
    String persona = null;
    boolean personaNull = false;
    if (root.has("persona")) {
      if (root.get("persona").isNull()) {
        personaNull = true;
      } else {
        persona = text(root.get("persona"), "persona", source);
      }
    }
    List<Path> personaFiles = new ArrayList<>();
    if (root.has("personas")) {
      JsonNode ps = root.get("personas");
      if (!ps.isArray()) {
        throw bad(source, "personas", "an array of persona file paths", ps);
      }
      for (int i = 0; i < ps.size(); i++) {
        personaFiles.add(dir.resolve(text(ps.get(i), "personas[" + i + "]", source)));
      }
    }
    Resilience resilience = root.has("resilience") ? resilience(root.get("resilience"), source) : null;
    builder.fromFile(backend, settings, fallbacks, persona, personaNull, personaFiles, resilience);
  }

  private static Map<String, String> settings(JsonNode n, String at, String source, Function<String, String> env) {
    if (!n.isObject()) {
      throw bad(source, at, "an object of settings", n);
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String key = at + "." + e.getKey();
      if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
        throw bad(source, key, "a string, number or boolean", v);
      }
      out.put(e.getKey(), expand(v.asText(), key, source, env));
    }
    return out;
  }

  private static String expand(String value, String at, String source, Function<String, String> env) {
    Matcher m = VARIABLE.matcher(value);
    StringBuffer sb = new StringBuffer();
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null) {
        throw new ConfigurationException("Configuration " + source + ": field '" + at + "' refers to environment"
            + " variable " + m.group(1) + ", which is not set.", source, at, null);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static Resilience resilience(JsonNode n, String source) {
    if (!n.isObject()) {
      throw bad(source, "resilience", "an object", n);
    }
    known(n, RESILIENCE, "resilience.", source);
    Resilience.Builder b = Resilience.builder();
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      JsonNode v = n.get(f);
      String at = "resilience." + f;
      try {
        switch (f) {
          case "maxAttempts": b.maxAttempts(integer(v, at, source)); break;
          case "initialBackoff": b.initialBackoff(duration(v, at, source)); break;
          case "maxBackoff": b.maxBackoff(duration(v, at, source)); break;
          case "multiplier": b.multiplier(number(v, at, source)); break;
          case "jitter": b.jitter(number(v, at, source)); break;
          case "maxRetryAfter": b.maxRetryAfter(duration(v, at, source)); break;
          case "rateLimitPerSecond":
            b.rateLimit(integer(v, at, source), n.has("rateLimitWait")
                ? duration(n.get("rateLimitWait"), "resilience.rateLimitWait", source) : Duration.ZERO);
            break;
          case "rateLimitWait":
            if (!n.has("rateLimitPerSecond")) {
              throw new ConfigurationException("Configuration " + source + ": field '" + at + "' only applies with"
                  + " 'resilience.rateLimitPerSecond'; add that limit or remove the wait.", source, at, null);
            }
            break;
          case "maxConcurrentCalls": b.maxConcurrentCalls(integer(v, at, source)); break;
          case "firstTokenTimeout": b.firstTokenTimeout(duration(v, at, source)); break;
          case "idleTimeout": b.idleTimeout(duration(v, at, source)); break;
          case "circuitBreaker":
            if (v.isBoolean() && !v.asBoolean()) {
              b.noCircuitBreaker();
            } else if (v.isObject()) {
              known(v, BREAKER, at + ".", source);
              Resilience d = Resilience.defaults();
              b.circuitBreaker(
                  v.has("minimumCalls") ? integer(v.get("minimumCalls"), at + ".minimumCalls", source)
                      : d.breakerMinimumCalls(),
                  v.has("failureRatePercent") ? integer(v.get("failureRatePercent"), at + ".failureRatePercent", source)
                      : d.breakerFailureRatePercent(),
                  v.has("openDuration") ? duration(v.get("openDuration"), at + ".openDuration", source)
                      : d.breakerOpenDuration());
            } else {
              throw bad(source, at, "false or an object with minimumCalls, failureRatePercent, openDuration", v);
            }
            break;
          default:
            throw new IllegalStateException(f);
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("Configuration " + source + ": field '" + at + "': " + e.getMessage() + ".",
            source, at, e);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("Configuration " + source + ": resilience: " + e.getMessage() + ".",
          source, "resilience", e);
    }
  }

  private static Duration duration(JsonNode v, String at, String source) {
    if (v.isNumber()) {
      return Duration.ofMillis(Math.round(v.asDouble() * 1000));
    }
    if (!v.isTextual()) {
      throw bad(source, at, "a duration such as \"500ms\", \"30s\" or \"2m\"", v);
    }
    try {
      return dev.banter.spi.BackendConfig.parseDuration(v.asText());
    } catch (RuntimeException e) {
      throw bad(source, at, "a duration such as \"500ms\", \"30s\" or \"2m\"", v);
    }
  }

  private static int integer(JsonNode v, String at, String source) {
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw bad(source, at, "an integer", v);
    }
    return v.asInt();
  }

  private static double number(JsonNode v, String at, String source) {
    if (!v.isNumber()) {
      throw bad(source, at, "a number", v);
    }
    return v.asDouble();
  }

  private static String text(JsonNode v, String at, String source) {
    if (v == null || !v.isTextual()) {
      throw bad(source, at, "a string", v);
    }
    return v.asText();
  }

  private static void known(JsonNode obj, Set<String> fields, String prefix, String source) {
    Iterator<String> names = obj.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (!fields.contains(f)) {
        throw new ConfigurationException("Configuration " + source + ": field '" + prefix + f
            + "' is unknown. Known fields: " + String.join(", ", new TreeSet<>(fields)) + ".", source, prefix + f, null);
      }
    }
  }

  private static ConfigurationException bad(String source, String at, String expected, JsonNode got) {
    String shown = got == null ? "nothing" : got.toString();
    if (shown.length() > 60) {
      shown = shown.substring(0, 60) + "...";
    }
    if (dev.banter.spi.BackendConfig.looksSecret(at)) {
      shown = "****";
    }
    return new ConfigurationException("Configuration " + source + ": field '" + at + "' must be " + expected
        + ", got " + shown + ".", source, at, null);
  }
}
