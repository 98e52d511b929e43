package dev.banter.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.ConfigurationException;
import dev.banter.api.Exchange;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Persona;
import dev.banter.api.RefusalPosture;
import dev.banter.api.StyleTraits;
import java.io.IOException;
import java.io.InputStream;
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
    JsonFile doc = new JsonFile("Persona", file.toString(), false);
    return fromTree(doc.read(file, MAX_FILE_BYTES), doc);
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
    JsonFile doc = new JsonFile("Persona", source, false);
    return fromTree(doc.parse(json), doc);
  }

  static Persona fromTree(JsonNode root, JsonFile doc) {
    if (root == null || !root.isObject()) {
      throw doc.bad("(root)", "a JSON object", root);
    }
    doc.knownFields(root, FIELDS, "");
    String id = requiredText(root, "id", doc);
    Persona.Builder b;
    try {
      b = Persona.builder(id);
    } catch (IllegalArgumentException e) {
      throw doc.bad("id", "lower-case letters, digits, '-' or '_' (at most 64, starting with a letter or digit)",
          root.get("id"));
    }
    b.systemPrompt(requiredText(root, "systemPrompt", doc));
    if (root.get("systemPrompt").asText().trim().isEmpty()) {
      throw doc.bad("systemPrompt", "a non-blank text", root.get("systemPrompt"));
    }
    if (root.has("displayName")) {
      b.displayName(doc.text(root.get("displayName"), "displayName"));
    }
    if (root.has("shortSystemPrompt")) {
      b.shortSystemPrompt(doc.text(root.get("shortSystemPrompt"), "shortSystemPrompt"));
    }
    if (root.has("description")) {
      b.description(doc.text(root.get("description"), "description"));
    }
    if (root.has("traits")) {
      b.traits(traits(root.get("traits"), doc));
    }
    if (root.has("defaults")) {
      b.defaults(options(root.get("defaults"), "defaults", doc));
    }
    if (root.has("examples")) {
      b.examples(examples(root.get("examples"), doc));
    }
    if (root.has("refusalPosture")) {
      JsonNode n = root.get("refusalPosture");
      String v = n.isTextual() ? n.asText().toUpperCase(Locale.ROOT) : "";
      try {
        b.refusalPosture(RefusalPosture.valueOf(v));
      } catch (IllegalArgumentException e) {
        throw doc.bad("refusalPosture", "one of cautious, balanced, candid", n);
      }
    }
    return b.build();
  }

  private static StyleTraits traits(JsonNode n, JsonFile doc) {
    if (!n.isObject()) {
      throw doc.bad("traits", "an object with humor, candor and verbosity", n);
    }
    doc.knownFields(n, TRAIT_FIELDS, "traits.");
    StyleTraits d = StyleTraits.neutral();
    return new StyleTraits(
        unit(n, "humor", d.humor(), doc),
        unit(n, "candor", d.candor(), doc),
        unit(n, "verbosity", d.verbosity(), doc));
  }

  private static double unit(JsonNode traits, String field, double dflt, JsonFile doc) {
    JsonNode v = traits.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
      throw doc.bad("traits." + field, "a number from 0 to 1", v);
    }
    return v.asDouble();
  }

  static GenerationOptions options(JsonNode n, String path, JsonFile doc) {
    if (!n.isObject()) {
      throw doc.bad(path, "an object of generation options", n);
    }
    doc.knownFields(n, OPTION_FIELDS, path + ".");
    GenerationOptions.Builder b = GenerationOptions.builder();
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      JsonNode v = n.get(f);
      String at = path + "." + f;
      try {
        switch (f) {
          case "temperature" -> b.temperature(doc.number(v, at));
          case "topP" -> b.topP(doc.number(v, at));
          case "topK" -> b.topK(doc.integer(v, at));
          case "minP" -> b.minP(doc.number(v, at));
          case "maxTokens" -> b.maxTokens(doc.integer(v, at));
          case "seed" -> b.seed(doc.integer(v, at));
          case "repetitionPenalty" -> b.repetitionPenalty(doc.number(v, at));
          case "presencePenalty" -> b.presencePenalty(doc.number(v, at));
          case "frequencyPenalty" -> b.frequencyPenalty(doc.number(v, at));
          case "stop" -> b.stop(stopList(v, at, doc));
          default -> throw new IllegalStateException(f);
        }
      } catch (IllegalArgumentException e) {
        throw doc.invalid(at, e);
      }
    }
    return b.build();
  }

  private static List<String> stopList(JsonNode v, String at, JsonFile doc) {
    List<String> out = new ArrayList<>();
    if (v.isTextual()) {
      out.add(v.asText());
      return out;
    }
    if (!v.isArray()) {
      throw doc.bad(at, "a string or an array of strings", v);
    }
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw doc.bad(at, "an array of strings", v);
      }
      out.add(s.asText());
    }
    return out;
  }

  private static List<Exchange> examples(JsonNode n, JsonFile doc) {
    if (!n.isArray()) {
      throw doc.bad("examples", "an array of {\"user\": ..., \"assistant\": ...} objects", n);
    }
    List<Exchange> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      String at = "examples[" + i + "]";
      if (!e.isObject()) {
        throw doc.bad(at, "an object with user and assistant", e);
      }
      doc.knownFields(e, Set.of("user", "assistant"), at + ".");
      JsonNode u = e.get("user");
      JsonNode a = e.get("assistant");
      if (u == null || !u.isTextual() || u.asText().trim().isEmpty()) {
        throw doc.bad(at + ".user", "a non-blank text", u);
      }
      if (a == null || !a.isTextual() || a.asText().trim().isEmpty()) {
        throw doc.bad(at + ".assistant", "a non-blank text", a);
      }
      out.add(new Exchange(u.asText(), a.asText()));
    }
    return out;
  }

  private static String requiredText(JsonNode obj, String field, JsonFile doc) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      throw doc.error(field, "is missing; every persona needs '" + field + "'.");
    }
    return doc.text(v, field);
  }
}
