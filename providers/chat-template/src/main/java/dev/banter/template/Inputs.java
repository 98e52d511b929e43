package dev.banter.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a caller's values into the template's value model: integers become {@code Long} (one past
 * 64 bits a {@code Double}, as llama.cpp's JSON values do), other numbers {@code Double},
 * collections fresh mutable lists and insertion-ordered maps (so a template never changes the
 * caller's data); anything else is refused with the path to it.
 */
final class Inputs {
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private Inputs() {}

  static Object copy(Object v, String path, int depth) {
    if (depth > Limits.MAX_VALUE_DEPTH) {
      throw new EvalError("the value at " + path + " is nested deeper than " + Limits.MAX_VALUE_DEPTH
          + " levels (does a list or map contain itself?)");
    }
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    } else if (v instanceof BigInteger big) {
      boolean fits = big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0;
      return fits ? (Object) big.longValue() : big.doubleValue();
    } else if (v instanceof Float || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    } else if (v instanceof CharSequence || v instanceof Character) {
      return v.toString();
    } else if (v instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object key = e.getKey();
        String keyPath = path + "[" + Repr.repr(key instanceof CharSequence ? key.toString() : key) + "]";
        if (key != null && !(key instanceof CharSequence) && !(key instanceof Number) && !(key instanceof Boolean)
            && !(key instanceof Character)) {
          throw new EvalError("the key at " + keyPath + " has type " + key.getClass().getName()
              + "; map keys must be strings, numbers or booleans");
        }
        out.put(copy(key, keyPath, depth + 1), copy(e.getValue(), keyPath, depth + 1));
      }
      return out;
    } else if (v instanceof Collection || v instanceof Object[]) {
      Collection<?> items = v instanceof Object[] array ? Arrays.asList(array) : (Collection<?>) v;
      List<Object> out = new ArrayList<>(items.size());
      for (Object item : items) {
        out.add(copy(item, path + "[" + out.size() + "]", depth + 1));
      }
      return out;
    }
    throw new EvalError("the value at " + path + " has type " + v.getClass().getName()
        + "; chat templates take strings, numbers, booleans, null, lists and maps");
  }
}
