package dev.banter.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.spi.BackendConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    JsonFile doc = new JsonFile("Configuration", file.toString(), true);
    JsonNode root = doc.read(file, MAX_BYTES);
    if (root == null || !root.isObject()) {
      throw doc.bad("(root)", "a JSON object", root);
    }
    doc.knownFields(root, TOP, "");
    Path dir = file.toAbsolutePath().getParent();

    String backend = null;
    if (root.has("backend")) {
      backend = doc.text(root.get("backend"), "backend");
    }
    Map<String, String> settings = root.has("settings")
        ? settings(root.get("settings"), "settings", doc, env) : Map.of();
    List<Banter.FallbackSpec> fallbacks = new ArrayList<>();
    if (root.has("fallbacks")) {
      JsonNode fs = root.get("fallbacks");
      if (!fs.isArray()) {
        throw doc.bad("fallbacks", "an array of {\"backend\": ..., \"settings\": {...}}", fs);
      }
      for (int i = 0; i < fs.size(); i++) {
        String at = "fallbacks[" + i + "]";
        JsonNode f = fs.get(i);
        if (!f.isObject()) {
          throw doc.bad(at, "an object", f);
        }
        doc.knownFields(f, Set.of("backend", "settings"), at + ".");
        if (!f.has("backend")) {
          throw doc.error(at + ".backend", "is missing.");
        }
        fallbacks.add(new Banter.FallbackSpec(doc.text(f.get("backend"), at + ".backend"),
            f.has("settings") ? settings(f.get("settings"), at + ".settings", doc, env) : new LinkedHashMap<>()));
      }
    }
    String persona = null;
    boolean personaNull = false;
    if (root.has("persona")) {
      if (root.get("persona").isNull()) {
        personaNull = true;
      } else {
        persona = doc.text(root.get("persona"), "persona");
      }
    }
    List<Path> personaFiles = new ArrayList<>();
    if (root.has("personas")) {
      JsonNode ps = root.get("personas");
      if (!ps.isArray()) {
        throw doc.bad("personas", "an array of persona file paths", ps);
      }
      for (int i = 0; i < ps.size(); i++) {
        personaFiles.add(dir.resolve(doc.text(ps.get(i), "personas[" + i + "]")));
      }
    }
    Resilience resilience = root.has("resilience") ? resilience(root.get("resilience"), doc) : null;
    builder.fromFile(backend, settings, fallbacks, persona, personaNull, personaFiles, resilience);
  }

  private static Map<String, String> settings(JsonNode n, String at, JsonFile doc, Function<String, String> env) {
    if (!n.isObject()) {
      throw doc.bad(at, "an object of settings", n);
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String key = at + "." + e.getKey();
      if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
        throw doc.bad(key, "a string, number or boolean", v);
      }
      out.put(e.getKey(), expand(v.asText(), key, doc, env));
    }
    return out;
  }

  private static String expand(String value, String at, JsonFile doc, Function<String, String> env) {
    Matcher m = VARIABLE.matcher(value);
    StringBuffer sb = new StringBuffer();
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null) {
        throw doc.error(at, "refers to environment variable " + m.group(1) + ", which is not set.");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static Resilience resilience(JsonNode n, JsonFile doc) {
    if (!n.isObject()) {
      throw doc.bad("resilience", "an object", n);
    }
    doc.knownFields(n, RESILIENCE, "resilience.");
    Resilience.Builder b = Resilience.builder();
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      JsonNode v = n.get(f);
      String at = "resilience." + f;
      try {
        switch (f) {
          case "maxAttempts" -> b.maxAttempts(doc.integer(v, at));
          case "initialBackoff" -> b.initialBackoff(duration(v, at, doc));
          case "maxBackoff" -> b.maxBackoff(duration(v, at, doc));
          case "multiplier" -> b.multiplier(doc.number(v, at));
          case "jitter" -> b.jitter(doc.number(v, at));
          case "maxRetryAfter" -> b.maxRetryAfter(duration(v, at, doc));
          case "rateLimitPerSecond" -> b.rateLimit(doc.integer(v, at), n.has("rateLimitWait")
              ? duration(n.get("rateLimitWait"), "resilience.rateLimitWait", doc) : Duration.ZERO);
          case "rateLimitWait" -> {
            if (!n.has("rateLimitPerSecond")) {
              throw doc.error(at, "only applies with 'resilience.rateLimitPerSecond'; add that limit or remove the"
                  + " wait.");
            }
          }
          case "maxConcurrentCalls" -> b.maxConcurrentCalls(doc.integer(v, at));
          case "firstTokenTimeout" -> b.firstTokenTimeout(duration(v, at, doc));
          case "idleTimeout" -> b.idleTimeout(duration(v, at, doc));
          case "circuitBreaker" -> {
            if (v.isBoolean() && !v.asBoolean()) {
              b.noCircuitBreaker();
            } else if (v.isObject()) {
              doc.knownFields(v, BREAKER, at + ".");
              Resilience d = Resilience.defaults();
              b.circuitBreaker(
                  v.has("minimumCalls") ? doc.integer(v.get("minimumCalls"), at + ".minimumCalls")
                      : d.breakerMinimumCalls(),
                  v.has("failureRatePercent") ? doc.integer(v.get("failureRatePercent"), at + ".failureRatePercent")
                      : d.breakerFailureRatePercent(),
                  v.has("openDuration") ? duration(v.get("openDuration"), at + ".openDuration", doc)
                      : d.breakerOpenDuration());
            } else {
              throw doc.bad(at, "false or an object with minimumCalls, failureRatePercent, openDuration", v);
            }
          }
          default -> throw new IllegalStateException(f);
        }
      } catch (IllegalArgumentException e) {
        throw doc.invalid(at, e);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw doc.invalid("resilience", e);
    }
  }

  private static Duration duration(JsonNode v, String at, JsonFile doc) {
    if (v.isNumber()) {
      return Duration.ofMillis(Math.round(v.asDouble() * 1000));
    }
    if (!v.isTextual()) {
      throw doc.bad(at, "a duration such as \"500ms\", \"30s\" or \"2m\"", v);
    }
    try {
      return BackendConfig.parseDuration(v.asText());
    } catch (RuntimeException e) {
      throw doc.bad(at, "a duration such as \"500ms\", \"30s\" or \"2m\"", v);
    }
  }
}
