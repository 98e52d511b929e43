package dev.banter.template;

import java.util.List;
import java.util.Map;

/**
 * The arguments of one call: positional values and keyword values, bound to a function's parameters
 * the way Python binds them.
 */
final class Args {
  final List<Object> positional;
  final Map<String, Object> keywords;

  Args(List<Object> positional, Map<String, Object> keywords) {
    this.positional = positional;
    this.keywords = keywords;
  }

  /**
   * Checks the arguments against a parameter list (each parameter may be given by position or by
   * name) and returns the bound values in parameter order; a parameter not given is
   * {@link #MISSING}, for which the caller supplies its default.
   */
  Object[] bind(String function, String... parameters) {
    if (positional.size() > parameters.length) {
      throw new EvalError(function + "() takes at most " + parameters.length + " argument"
          + (parameters.length == 1 ? "" : "s") + " (" + positional.size() + " given)");
    }
    Object[] bound = new Object[parameters.length];
    for (int i = 0; i < parameters.length; i++) {
      bound[i] = i < positional.size() ? positional.get(i) : MISSING;
    }
    for (Map.Entry<String, Object> e : keywords.entrySet()) {
      int index = indexOf(parameters, e.getKey());
      if (index < 0) {
        throw new EvalError(function + "() got an unexpected keyword argument '" + e.getKey() + "'");
      }
      if (bound[index] != MISSING) {
        throw new EvalError(function + "() got multiple values for argument '" + e.getKey() + "'");
      }
      bound[index] = e.getValue();
    }
    return bound;
  }

  /** Like {@link #bind} but the first {@code required} parameters must be given. */
  Object[] bindRequired(String function, int required, String... parameters) {
    Object[] bound = bind(function, parameters);
    for (int i = 0; i < required; i++) {
      if (bound[i] == MISSING) {
        throw new EvalError(function + "() missing required argument '" + parameters[i] + "'");
      }
    }
    return bound;
  }

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  static Object orDefault(Object bound, Object fallback) {
    return bound == MISSING ? fallback : bound;
  }

  /** Marks a parameter that was not passed. */
  static final Object MISSING = new Object() {
    @Override
    public String toString() {
      return "<missing>";
    }
  };
}
