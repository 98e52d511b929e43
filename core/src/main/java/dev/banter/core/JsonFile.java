package dev.banter.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.ConfigurationException;
import dev.banter.spi.BackendConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON document core reads — a configuration file or a persona — and the errors about it: every
 * problem is a {@link ConfigurationException} naming the document, the field as a path such as
 * {@code traits.humor} or {@code fallbacks[0].backend}, and what was expected.
 */
final class JsonFile {
  private final String kind;
  private final String source;
  private final boolean hideSecretValues;

  /**
   * @param kind what the document is, capitalised: {@code Configuration}, {@code Persona}
   * @param source the file or resource, for messages
   * @param hideSecretValues whether values of fields that look secret are left out of messages
   */
  JsonFile(String kind, String source, boolean hideSecretValues) {
    this.kind = kind;
    this.source = source;
    this.hideSecretValues = hideSecretValues;
  }

  String source() {
    return source;
  }

  /** Reads and parses {@code file}, which may hold at most {@code maxBytes}. */
  JsonNode read(Path file, long maxBytes) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new ConfigurationException(kind + " file " + source + " is " + size + " bytes; it may hold at most "
            + maxBytes + " bytes.", source, null, null);
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot read " + kind.toLowerCase(Locale.ROOT) + " file " + source + ": "
          + e.getMessage() + ". Check the path and its permissions.", source, null, e);
    }
    return parse(bytes);
  }

  JsonNode parse(byte[] json) {
    try {
      return CoreJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(kind + " file " + source + " is not valid JSON at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(),
          source, null, e);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot parse " + kind.toLowerCase(Locale.ROOT) + " file " + source + ": "
          + e.getMessage(), source, null, e);
    }
  }

  /** An error about {@code field}: {@code what} follows the field's name. */
  ConfigurationException error(String field, String what) {
    return new ConfigurationException(kind + " " + source + ": field '" + field + "' " + what, source, field, null);
  }

  /** A value that a field's own validation refused. */
  ConfigurationException invalid(String field, IllegalArgumentException e) {
    return new ConfigurationException(kind + " " + source + ": field '" + field + "': " + e.getMessage() + ".",
        source, field, e);
  }

  /** A field holding the wrong kind of value. */
  ConfigurationException bad(String field, String expected, JsonNode got) {
    String shown = got == null ? "nothing" : BackendConfig.redactUrls(got.toString());
    if (shown.length() > 60) {
      shown = shown.substring(0, 60) + "...";
    }
    if (hideSecretValues && BackendConfig.looksSecret(field)) {
      shown = "****";
    }
    return error(field, "must be " + expected + ", got " + shown + ".");
  }

  /** Refuses any field of {@code obj} not in {@code known}, listing those that are. */
  void knownFields(JsonNode obj, Set<String> known, String prefix) {
    Iterator<String> names = obj.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (!known.contains(f)) {
        throw error(prefix + f, "is unknown. Known fields: " + String.join(", ", new TreeSet<>(known)) + ".");
      }
    }
  }

  String text(JsonNode v, String at) {
    if (v == null || !v.isTextual()) {
      throw bad(at, "a string", v);
    }
    return v.asText();
  }

  int integer(JsonNode v, String at) {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
      throw bad(at, "an integer", v);
    }
    return v.asInt();
  }

  double number(JsonNode v, String at) {
    if (v == null || !v.isNumber()) {
      throw bad(at, "a number", v);
    }
    return v.asDouble();
  }
}
