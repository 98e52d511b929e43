package dev.banter.template;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a render. A {@code for} iteration and a macro call each get a
 * child scope, so what they {@code set} disappears when they end, as in Jinja; {@code if} blocks
 * share their parent's scope.
 */
final class Scope {
  private final Scope parent;
  private final Map<String, Object> variables = new HashMap<>();

  Scope(Scope parent) {
    this.parent = parent;
  }

  /** The variable's value, or {@link Lookup#ABSENT} when no enclosing scope defines it. */
  Object lookup(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      Object value = s.variables.get(name);
      if (value != null || s.variables.containsKey(name)) {
        return value;
      }
    }
    return Lookup.ABSENT;
  }

  void set(String name, Object value) {
    variables.put(name, value);
  }
}
