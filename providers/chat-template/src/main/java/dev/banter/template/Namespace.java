package dev.banter.template;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The object {@code namespace(...)} returns: attributes a template may reassign from inside loops
 * with {@code {% set ns.name = value %}}.
 */
final class Namespace {
  final Map<String, Object> attributes = new LinkedHashMap<>();

  @Override
  public String toString() {
    return "<Namespace " + Repr.repr(attributes) + ">";
  }
}
