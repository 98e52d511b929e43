package dev.banter.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** What a {@code for} loop visits, {@code len()}, and Python's {@code item in container}. */
final class Iteration {
  private Iteration() {}

  /** List items, dict keys or string characters; undefined iterates as empty. */
  static List<Object> items(Object v) {
    if (v instanceof List<?> list) {
      @SuppressWarnings("unchecked")
      List<Object> items = (List<Object>) list;
      return items;
    } else if (v instanceof Map<?, ?> map) {
      return new ArrayList<>(map.keySet());
    } else if (v instanceof String s) {
      return chars(s);
    } else if (v instanceof Undefined) {
      return Collections.emptyList();
    }
    throw new EvalError("'" + Types.name(v) + "' object is not iterable");
  }

  static boolean isIterable(Object v) {
    return v instanceof List || v instanceof Map || v instanceof String || v instanceof Undefined;
  }

  static int len(Object v) {
    if (v instanceof String s) {
      return codePointLength(s);
    } else if (v instanceof Collection<?> c) {
      return c.size();
    } else if (v instanceof Map<?, ?> m) {
      return m.size();
    } else if (v instanceof Undefined) {
      return 0;
    }
    throw new EvalError("object of type '" + Types.name(v) + "' has no len()");
  }

  static boolean contains(Object container, Object item) {
    if (container instanceof String s) {
      if (item instanceof Undefined u) {
        throw u.fail();
      }
      if (!(item instanceof String part)) {
        throw new EvalError("'in <string>' requires string as left operand, not " + Types.name(item));
      }
      return s.contains(part);
    }
    if (container instanceof Map<?, ?> map) {
      if ((item instanceof List && !(item instanceof Tuple)) || item instanceof Map || item instanceof Namespace) {
        throw new EvalError("unhashable type: '" + Types.name(item) + "'");
      }
      return Lookup.mapGet(map, item) != Lookup.ABSENT;
    }
    if (container instanceof List<?> list) {
      for (Object element : list) {
        if (element == item || Compare.eq(element, item)) {
          return true;
        }
      }
      return false;
    }
    if (container instanceof Undefined) {
      return false;
    }
    throw new EvalError("argument of type '" + Types.name(container) + "' is not iterable");
  }

  static int codePointLength(String s) {
    return s.codePointCount(0, s.length());
  }

  /** A string's characters (code points), each as a string. */
  static List<Object> chars(String s) {
    List<Object> out = new ArrayList<>(s.length());
    for (int i = 0; i < s.length(); ) {
      int n = Character.charCount(s.codePointAt(i));
      out.add(s.substring(i, i + n));
      i += n;
    }
    return out;
  }
}
