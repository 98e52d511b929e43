package dev.banter.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Jinja's {@code obj.name}, {@code obj[key]} and Python's {@code obj[start:stop:step]}. */
final class Lookup {
  /** What {@link #mapGet} returns when the key is absent. */
  static final Object ABSENT = new Object();

  private Lookup() {}

  /** Looks a key up with Python's notion of equal keys ({@code 1}, {@code 1.0} and {@code True}). */
  static Object mapGet(Map<?, ?> map, Object key) {
    Object value = map.get(key);
    if (value != null || map.containsKey(key)) {
      return value;
    }
    if (Types.isNumber(key)) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (Types.isNumber(e.getKey()) && Compare.numbers(e.getKey(), key) == 0) {
          return e.getValue();
        }
      }
    }
    return ABSENT;
  }

  /** {@code obj.name}: a method first, then an item. */
  static Object attribute(Renderer r, Object obj, String name) {
    if (obj instanceof Undefined u) {
      throw u.fail();
    }
    if (obj instanceof Map<?, ?> map) {
      if (Methods.has(map, name)) {
        return new Methods.Bound(map, name);
      }
      Object value = mapGet(map, name);
      if (value != ABSENT) {
        r.accessed(map, name);
        return value;
      }
      return Undefined.attribute(obj, name);
    }
    if (obj instanceof Namespace ns) {
      Object value = ns.attributes.get(name);
      return value != null || ns.attributes.containsKey(name) ? value : Undefined.attribute(obj, name);
    }
    if (obj instanceof LoopContext loop) {
      return loop.attribute(name);
    }
    if (Methods.has(obj, name)) {
      return new Methods.Bound(obj, name);
    }
    return Undefined.attribute(obj, name);
  }

  /** {@code obj[key]}: an item first, then (for a string key) an attribute. */
  static Object item(Renderer r, Object obj, Object key) {
    if (obj instanceof Undefined u) {
      throw u.fail();
    }
    if (obj instanceof Map<?, ?> map) {
      Object value = mapGet(map, key);
      if (value != ABSENT) {
        r.accessed(map, key);
        return value;
      }
      if (key instanceof String name) {
        return Methods.has(map, name) ? new Methods.Bound(map, name) : Undefined.attribute(obj, name);
      }
      return Undefined.item(obj, key);
    }
    if ((obj instanceof List || obj instanceof String) && Types.isIntLike(key)) {
      long index = Types.toLong(key, "the index");
      int size = obj instanceof List<?> list ? list.size() : Iteration.codePointLength((String) obj);
      if (index < 0) {
        index += size;
      }
      if (index < 0 || index >= size) {
        return Undefined.item(obj, key);
      }
      if (obj instanceof List<?> list) {
        return list.get((int) index);
      }
      String s = (String) obj;
      int start = s.offsetByCodePoints(0, (int) index);
      return s.substring(start, s.offsetByCodePoints(start, 1));
    }
    if (key instanceof String name) {
      return attribute(r, obj, name);
    }
    return Undefined.item(obj, key);
  }

  /** {@code obj[start:stop:step]} on a list, tuple or string; a {@code null} bound is left out. */
  static Object slice(Object obj, Object start, Object stop, Object step) {
    if (obj instanceof Undefined u) {
      throw u.fail();
    }
    List<?> items;
    if (obj instanceof String s) {
      items = Iteration.chars(s);
    } else if (obj instanceof List<?> list) {
      items = list;
    } else {
      throw new EvalError("'" + Types.name(obj) + "' object is not subscriptable");
    }
    int length = items.size();
    long st = step == null ? 1 : index(step);
    if (st == 0) {
      throw new EvalError("slice step cannot be zero");
    }
    long lower = st > 0 ? 0 : -1;
    long upper = st > 0 ? length : length - 1;
    long from = start == null ? (st > 0 ? lower : upper) : bound(index(start), length, lower, upper);
    long to = stop == null ? (st > 0 ? upper : lower) : bound(index(stop), length, lower, upper);
    List<Object> out = new ArrayList<>();
    for (long i = from; st > 0 ? i < to : i > to; i += st) {
      out.add(items.get((int) i));
    }
    if (obj instanceof String) {
      StringBuilder sb = new StringBuilder();
      for (Object c : out) {
        sb.append((String) c);
      }
      return sb.toString();
    }
    return obj instanceof Tuple ? Tuple.of(out) : out;
  }

  private static long index(Object v) {
    if (v instanceof Undefined u) {
      throw u.fail();
    }
    if (!Types.isIntLike(v)) {
      throw new EvalError("slice indices must be integers or None, not " + Types.name(v));
    }
    return Math.max(-(1L << 40), Math.min(1L << 40, Types.toLong(v, "a slice index")));
  }

  private static long bound(long i, long length, long lower, long upper) {
    return i < 0 ? Math.max(i + length, lower) : Math.min(i, upper);
  }
}
