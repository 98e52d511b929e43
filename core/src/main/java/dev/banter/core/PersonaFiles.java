package dev.banter.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banter.api.ConfigurationException;
import dev.banter.api.Exchange;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Persona;
import dev.banter.api.RefusalPosture;
import dev.banter.api.StyleTraits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads personas from JSON. Every problem is a {@link ConfigurationException} naming the source,
 * the field (as a path such as {@code traits.humor}) and what was expected.
 *
 * <pre>
 * {"id": "pirate", "systemPrompt": "Answer as a pirate.", "traits": {"humor": 0.8},
 *  "defaults": {"temperature": 0.9}, "examples": [{"user": "..", "assistant": ".."}],
 *  "refusalPosture": "balanced"}
 * </pre>
 */
final class PersonaFiles {
  private static final long MAX_FILE_BYTES = 1 << 20;
  private static final Set<String> FIELDS = Set.of(
      "id", "displayName", "description", "systemPrompt", "shortSystemPrompt", "traits", "defaults", "examples", "refusalPosture");
  private static final Set<String> TRAIT_FIELDS = Set.of("humor", "candor", "verbosity");
  private static final Set<String> OPTION_FIELDS = Set.of("temperature", "topP", "topK", "minP", "maxTokens",
      "stop", "seed", "repetitionPenalty", "presencePenalty", "frequencyPenalty");

  private PersonaFiles() {}

  static Persona read(Path file) {
    String source = file.toString();
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new ConfigurationException("Persona file " + source + " is " + size
            + " bytes; a persona file may hold at most " + MAX_FILE_BYTES + " bytes.", source, null, null);
      }
      return parse(Files.readAllBytes(file), source);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot read persona file " + source + ": " + e.getMessage()
          + ". Check the path and its permissions.", source, null, e);
    }
  }

  static Persona readResource(String resource) {
    try (InputStream in = PersonaFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigurationException("Built-in persona resource " + resource + " is missing from banter-core.",
            resource, null, null);
      }
      return parse(readFully(in), resource);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot read built-in persona " + resource + ": " + e.getMessage(),
          resource, null, e);
    }
  }

  private static byte[] readFully(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  static Persona parse(byte[] json, String source) {
    JsonNode root;
    try {
      root = CoreJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException("Persona file " + source + " is not valid JSON at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(),
          source, null, e);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot parse persona file " + source + ": " + e.getMessage(), source, null, e);
    }
    return fromTree(root, source);
  }

  static Persona fromTree(JsonNode root, String source) {
    if (root == null || !root.isObject()) {
      throw bad(source, "(root)", "a JSON object", root);
    }
    checkFields(root, FIELDS, "", source);
    String id = requiredText(root, "id", source);
    Persona.Builder b;
    try {
      b = Persona.builder(id);
    } catch (IllegalArgumentException e) {
      throw bad(source, "id", "lower-case letters, digits, '-' or '_' (at most 64, starting with a letter or digit)",
          root.get("id"));
    }
    b.systemPrompt(requiredText(root, "systemPrompt", source));
    if (root.get("systemPrompt").asText().trim().isEmpty()) {
      throw bad(source, "systemPrompt", "a non-blank text", root.get("systemPrompt"));
    }
    if (root.has("displayName")) {
      b.displayName(text(root, "displayName", source));
    }
    if (root.has("shortSystemPrompt")) {
      b.shortSystemPrompt(text(root, "shortSystemPrompt", source));
    }
    if (root.has("description")) {
      b.description(text(root, "description", source));
    }
    if (root.has("traits")) {
      b.traits(traits(root.get("traits"), source));
    }
    if (root.has("defaults")) {
      b.defaults(options(root.get("defaults"), "defaults", source));
    }
    if (root.has("examples")) {
      b.examples(examples(root.get("examples"), source));
    }
    if (root.has("refusalPosture")) {
      JsonNode n = root.get("refusalPosture");
      String v = n.isTextual() ? n.asText().toUpperCase(Locale.ROOT) : "";
      try {
        b.refusalPosture(RefusalPosture.valueOf(v));
      } catch (IllegalArgumentException e) {
        throw bad(source, "refusalPosture", "one of cautious, balanced, candid", n);
      }
    }
    return b.build();
  }

  private static StyleTraits traits(JsonNode n, String source) {
    if (!n.isObject()) {
      throw bad(source, "traits", "an object with humor, candor and verbosity", n);
    }
    checkFields(n, TRAIT_FIELDS, "traits.", source);
    StyleTraits d = StyleTraits.neutral();
    return new StyleTraits(
        unit(n, "humor", d.humor(), source),
        unit(n, "candor", d.candor(), source),
        unit(n, "verbosity", d.verbosity(), source));
  }

  private static double unit(JsonNode traits, String field, double dflt, String source) {
    JsonNode v = traits.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
      throw bad(source, "traits." + field, "a number from 0 to 1", v);
    }
    return v.asDouble();
  }

  static GenerationOptions options(JsonNode n, String path, String source) {
    if (!n.isObject()) {
      throw bad(source, path, "an object of generation options", n);
    }
    checkFields(n, OPTION_FIELDS, path + ".", source);
    GenerationOptions.Builder b = GenerationOptions.builder();
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      JsonNode v = n.get(f);
      String at = path + "." + f;
      try {
        switch (f) {
          case "temperature": b.temperature(number(v, at, source)); break;
          case "topP": b.topP(number(v, at, source)); break;
          case "topK": b.topK(integer(v, at, source)); break;
          case "minP": b.minP(number(v, at, source)); break;
          case "maxTokens": b.maxTokens(integer(v, at, source)); break;
          case "seed": b.seed(integer(v, at, source)); break;
          case "repetitionPenalty": b.repetitionPenalty(number(v, at, source)); break;
          case "presencePenalty": b.presencePenalty(number(v, at, source)); break;
          case "frequencyPenalty": b.frequencyPenalty(number(v, at, source)); break;
          case "stop": b.stop(stopList(v, at, source)); break;
          default: throw new IllegalStateException(f);
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(where(source, at) + e.getMessage() + ".", source, at, e);
      }
    }
    return b.build();
  }

  private static List<String> stopList(JsonNode v, String at, String source) {
    List<String> out = new ArrayList<>();
    if (v.isTextual()) {
      out.add(v.asText());
      return out;
    }
    if (!v.isArray()) {
      throw bad(source, at, "a string or an array of strings", v);
    }
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw bad(source, at, "an array of strings", v);
      }
      out.add(s.asText());
    }
    return out;
  }

  private static List<Exchange> examples(JsonNode n, String source) {
    if (!n.isArray()) {
      throw bad(source, "examples", "an array of {\"user\": ..., \"assistant\": ...} objects", n);
    }
    List<Exchange> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      String at = "examples[" + i + "]";
      if (!e.isObject()) {
        throw bad(source, at, "an object with user and assistant", e);
      }
      checkFields(e, Set.of("user", "assistant"), at + ".", source);
      JsonNode u = e.get("user");
      JsonNode a = e.get("assistant");
      if (u == null || !u.isTextual() || u.asText().trim().isEmpty()) {
        throw bad(source, at + ".user", "a non-blank text", u);
      }
      if (a == null || !a.isTextual() || a.asText().trim().isEmpty()) {
        throw bad(source, at + ".assistant", "a non-blank text", a);
      }
      out.add(new Exchange(u.asText(), a.asText()));
    }
    return out;
  }

  private static void checkFields(JsonNode obj, Set<String> known, String prefix, String source) {
    Iterator<String> names = obj.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (!known.contains(f)) {
        throw new ConfigurationException(where(source, prefix + f) + "unknown field. Known fields: "
            + String.join(", ", new java.util.TreeSet<>(known)) + ".", source, prefix + f, null);
      }
    }
  }

  private static String requiredText(JsonNode obj, String field, String source) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      throw new ConfigurationException(where(source, field) + "missing; every persona needs '" + field + "'.",
          source, field, null);
    }
    return text(obj, field, source);
  }

  private static String text(JsonNode obj, String field, String source) {
    JsonNode v = obj.get(field);
    if (!v.isTextual()) {
      throw bad(source, field, "a string", v);
    }
    return v.asText();
  }

  private static double number(JsonNode v, String at, String source) {
    if (!v.isNumber()) {
      throw bad(source, at, "a number", v);
    }
    return v.asDouble();
  }

  private static int integer(JsonNode v, String at, String source) {
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw bad(source, at, "an integer", v);
    }
    return v.asInt();
  }

  private static ConfigurationException bad(String source, String field, String expected, JsonNode got) {
    return new ConfigurationException(where(source, field) + "must be " + expected + ", got "
        + (got == null ? "nothing" : abbreviate(got.toString())) + ".", source, field, null);
  }

  private static String where(String source, String field) {
    return "Persona " + source + ": field '" + field + "' ";
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }
}
