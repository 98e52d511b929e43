package dev.banter.template;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders template snippets with a clock fixed on 2026-11-28 and variables given as pairs. */
final class Render {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:34:56Z"), ZoneOffset.UTC);

  private Render() {}

  static String render(String template, Object... namesAndValues) {
    return ChatTemplate.parse(template).withClock(CLOCK).render(variables(namesAndValues));
  }

  static Map<String, Object> variables(Object... namesAndValues) {
    Map<String, Object> variables = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      variables.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return variables;
  }
}
