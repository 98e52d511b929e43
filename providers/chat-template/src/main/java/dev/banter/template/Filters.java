package dev.banter.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The filters chat templates use, the names after {@code |}: Jinja's, Hugging Face's {@code tojson}
 * and llama.cpp's {@code from_json} (also spelled {@code fromjson}).
 */
final class Filters {
  static final Set<String> NAMES = Parser.names(
      "capitalize", "default", "dictsort", "first", "from_json", "fromjson", "indent", "int", "items", "join",
      "last", "length", "list", "lower", "map", "min", "reject", "rejectattr", "replace", "safe", "selectattr",
      "sort", "string", "tojson", "trim", "unique", "upper");

  private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private Filters() {}

  static Object apply(Renderer r, String name, Object value, Args args) {
    return switch (name) {
      case "safe", "string" -> text(value, args, name);
      case "upper" -> text(value, args, name).toUpperCase(Locale.ROOT);
      case "lower" -> text(value, args, name).toLowerCase(Locale.ROOT);
      case "capitalize" -> Text.capitalize(text(value, args, name));
      case "trim" -> Text.strip(text(value, args, name), null, true, true);
      case "length" -> {
        args.bind(name);
        yield (long) Iteration.len(value);
      }
      case "replace" -> {
        Object[] a = args.bindRequired(name, 2, "old", "new", "count");
        long count = a[2] == Args.MISSING || a[2] == null ? -1 : Types.toLong(a[2], "count");
        yield r.checkString(Text.replace(Repr.str(value), Repr.str(a[0]), Repr.str(a[1]), count));
      }
      case "indent" -> indent(r, value, args);
      case "default" -> {
        Object[] a = args.bind(name, "default_value", "boolean");
        boolean onFalse = Types.truthy(Args.orDefault(a[1], false));
        yield value instanceof Undefined || (onFalse && !Types.truthy(value)) ? Args.orDefault(a[0], "") : value;
      }
      case "int" -> toInt(value, args);
      case "tojson" -> r.checkString(tojson(value, args));
      case "from_json", "fromjson" -> fromJson(value, args, name);
      case "list" -> {
        args.bind(name);
        List<Object> out = new ArrayList<>(Iteration.items(value));
        r.chargeItems(out.size());
        yield out;
      }
      case "first" -> {
        args.bind(name);
        List<Object> items = Iteration.items(value);
        yield items.isEmpty() ? Undefined.because("No first item, sequence was empty.") : items.get(0);
      }
      case "last" -> {
        args.bind(name);
        List<Object> items = Iteration.items(value);
        yield items.isEmpty() ? Undefined.because("No last item, sequence was empty.") : items.get(items.size() - 1);
      }
      case "items" -> items(r, value, args);
      case "dictsort" -> dictsort(r, value, args);
      case "join" -> join(r, value, args);
      case "map" -> map(r, value, args);
      case "reject" -> select(r, value, args, false, false);
      case "selectattr" -> select(r, value, args, true, true);
      case "rejectattr" -> select(r, value, args, false, true);
      case "unique" -> unique(r, value, args);
      case "sort" -> sort(r, value, args);
      case "min" -> min(r, value, args);
      default -> throw new EvalError("the filter '" + name + "' is not supported");
    };
  }

  /** The value as text, for a filter that takes no arguments. */
  private static String text(Object value, Args args, String filter) {
    args.bind(filter);
    return Repr.str(value);
  }

  private static Object indent(Renderer r, Object value, Args args) {
    Object[] a = args.bind("indent", "width", "first", "blank");
    Object width = Args.orDefault(a[0], 4L);
    String indentation = width instanceof String s ? s : spaces(width, "indent width");
    if (value instanceof Undefined u) {
      throw u.fail();
    }
    if (!(value instanceof String s)) {
      throw new EvalError("indent needs a string, not '" + Types.name(value) + "'");
    }
    return r.checkString(Text.indent(s, indentation, Types.truthy(Args.orDefault(a[1], false)),
        Types.truthy(Args.orDefault(a[2], false))));
  }

  /** Jinja's {@code int(default)}: an int, a number's integer part, text read as a number, else the default. */
  private static Object toInt(Object value, Args args) {
    Object fallback = Args.orDefault(args.bind("int", "default")[0], 0L);
    if (value instanceof Undefined u) {
      throw u.fail();
    } else if (Types.isIntLike(value)) {
      return Types.toLong(value, "the value");
    } else if (value instanceof Double d) {
      return Double.isNaN(d) || Double.isInfinite(d) ? fallback : truncate(d);
    } else if (value instanceof String s) {
      String t = Text.strip(s, null, true, true);
      if (t.matches("[+-]?\\d+")) {
        try {
          return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
          throw new EvalError("the integer " + t + " does not fit in 64 bits");
        }
      }
      return FLOAT.matcher(t).matches() ? truncate(Double.parseDouble(t)) : fallback;
    }
    return fallback;
  }

  private static long truncate(double d) {
    if (Math.abs(d) >= 0x1p63) {
      throw new EvalError("the integer part of " + Repr.floatRepr(d) + " does not fit in 64 bits");
    }
    return (long) d;
  }

  private static String tojson(Object value, Args args) {
    Object[] a = args.bind("tojson", "indent", "ensure_ascii");
    Object indent = Args.orDefault(a[0], null);
    String indentText = indent == null || indent instanceof String ? (String) indent : spaces(indent, "tojson indent");
    return new JsonWriter(indentText, Types.truthy(Args.orDefault(a[1], false))).write(value);
  }

  /** An indentation given as a number of spaces. */
  private static String spaces(Object count, String what) {
    long n = Math.max(0, Types.toLong(count, what));
    if (n > 1000) {
      throw new EvalError(what + " " + n + " is larger than 1000");
    }
    StringBuilder sb = new StringBuilder();
    for (long i = 0; i < n; i++) {
      sb.append(' ');
    }
    return sb.toString();
  }

  private static Object fromJson(Object value, Args args, String name) {
    args.bind(name);
    if (value instanceof Undefined u) {
      throw u.fail();
    }
    if (!(value instanceof String text)) {
      throw new EvalError(name + " needs a string, not '" + Types.name(value) + "'");
    }
    try {
      return Inputs.copy(Json.parse(text), name, 0);
    } catch (JsonException e) {
      throw new EvalError(name + ": " + e.getMessage());
    }
  }

  private static Object items(Renderer r, Object value, Args args) {
    args.bind("items");
    if (value instanceof Undefined) {
      return new ArrayList<>();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new EvalError("Can only get item pairs from a mapping, not '" + Types.name(value) + "'");
    }
    List<Object> out = new ArrayList<>(map.size());
    for (Map.Entry<?, ?> e : map.entrySet()) {
      out.add(new Tuple(e.getKey(), e.getValue()));
    }
    r.chargeItems(out.size());
    return out;
  }

  private static Object join(Renderer r, Object value, Args args) {
    String separator = Repr.str(Args.orDefault(args.bind("join", "d")[0], ""));
    StringBuilder sb = new StringBuilder();
    boolean first = true;
    for (Object item : Iteration.items(value)) {
      if (!first) {
        sb.append(separator);
      }
      first = false;
      sb.append(Repr.str(item));
      if (sb.length() > Limits.MAX_STRING_CHARS) {
        throw new EvalError("join produced more than " + Limits.MAX_STRING_CHARS + " chars");
      }
    }
    return r.checkString(sb.toString());
  }

  // ---------------------------------------------------------------- attributes and sequences

  /** Jinja's attribute getter: {@code "a.b.0"} looks up {@code a}, then {@code b}, then item 0. */
  static Object attributeOf(Renderer r, Object item, Object attribute, Object fallback) {
    List<Object> parts = new ArrayList<>();
    if (attribute instanceof String path) {
      for (String part : path.split("\\.", -1)) {
        parts.add(part.matches("\\d{1,9}") ? (Object) Long.parseLong(part) : part);
      }
    } else {
      parts.add(attribute);
    }
    Object current = item;
    for (Object part : parts) {
      current = Lookup.item(r, current, part);
      if (current instanceof Undefined) {
        return fallback == Args.MISSING ? current : fallback;
      }
    }
    return current;
  }

  private static Object sortKey(Object v, boolean caseSensitive) {
    return !caseSensitive && v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
  }

  /** {@code map(attribute='name', default=x)} or {@code map('filter', args...)}; a false value maps to nothing. */
  private static Object map(Renderer r, Object value, Args args) {
    List<Object> out = new ArrayList<>();
    if (args.positional.isEmpty() && args.keywords.containsKey("attribute")) {
      Object[] a = args.bind("map", "attribute", "default");
      for (Object item : Types.truthy(value) ? Iteration.items(value) : Collections.emptyList()) {
        out.add(attributeOf(r, item, a[0], a[1]));
      }
    } else {
      if (args.positional.isEmpty()) {
        throw new EvalError("map requires a filter name or attribute=");
      }
      String filter = Repr.str(args.positional.get(0));
      if (!NAMES.contains(filter)) {
        throw new EvalError("the filter '" + filter + "' is not supported");
      }
      Args rest = new Args(args.positional.subList(1, args.positional.size()), args.keywords);
      for (Object item : Types.truthy(value) ? Iteration.items(value) : Collections.emptyList()) {
        r.step();
        out.add(apply(r, filter, item, rest));
      }
    }
    r.chargeItems(out.size());
    return out;
  }

  /** {@code reject}, {@code selectattr} and {@code rejectattr}; a false value gives an empty list, as in Jinja. */
  private static Object select(Renderer r, Object value, Args args, boolean keep, boolean byAttribute) {
    List<Object> positional = args.positional;
    Object attribute = null;
    if (byAttribute) {
      if (positional.isEmpty()) {
        throw new EvalError((keep ? "selectattr" : "rejectattr") + " requires an attribute name");
      }
      attribute = positional.get(0);
      positional = positional.subList(1, positional.size());
    }
    String test = positional.isEmpty() ? null : Repr.str(positional.get(0));
    if (test != null && !Tests.NAMES.contains(test)) {
      throw new EvalError("the test '" + test + "' is not supported");
    }
    Args testArgs = new Args(positional.isEmpty() ? positional : positional.subList(1, positional.size()),
        args.keywords);
    List<Object> out = new ArrayList<>();
    for (Object item : Types.truthy(value) ? Iteration.items(value) : Collections.emptyList()) {
      r.step();
      Object subject = byAttribute ? attributeOf(r, item, attribute, Args.MISSING) : item;
      boolean passes = test == null ? Types.truthy(subject) : Tests.apply(test, subject, testArgs);
      if (passes == keep) {
        out.add(item);
      }
    }
    r.chargeItems(out.size());
    return out;
  }

  private static Object unique(Renderer r, Object value, Args args) {
    Object[] a = args.bind("unique", "case_sensitive", "attribute");
    boolean caseSensitive = Types.truthy(Args.orDefault(a[0], false));
    Object attribute = Args.orDefault(a[1], null);
    List<Object> out = new ArrayList<>();
    List<Object> seen = new ArrayList<>();
    for (Object item : Iteration.items(value)) {
      r.step();
      Object key = sortKey(attribute == null ? item : attributeOf(r, item, attribute, Args.MISSING), caseSensitive);
      if (!Iteration.contains(seen, key)) {
        seen.add(key);
        out.add(item);
      }
    }
    r.chargeItems(out.size());
    return out;
  }

  private static Object sort(Renderer r, Object value, Args args) {
    Object[] a = args.bind("sort", "reverse", "case_sensitive", "attribute");
    boolean reverse = Types.truthy(Args.orDefault(a[0], false));
    boolean caseSensitive = Types.truthy(Args.orDefault(a[1], false));
    Object attribute = Args.orDefault(a[2], null);
    List<Object> items = new ArrayList<>(Iteration.items(value));
    Comparator<Object> order = (x, y) -> Compare.compare(
        sortKey(attribute == null ? x : attributeOf(r, x, attribute, Args.MISSING), caseSensitive),
        sortKey(attribute == null ? y : attributeOf(r, y, attribute, Args.MISSING), caseSensitive));
    r.chargeItems(items.size());
    items.sort(reverse ? order.reversed() : order);
    return items;
  }

  private static Object min(Renderer r, Object value, Args args) {
    Object[] a = args.bind("min", "case_sensitive", "attribute");
    boolean caseSensitive = Types.truthy(Args.orDefault(a[0], false));
    Object attribute = Args.orDefault(a[1], null);
    Object best = null;
    Object bestKey = null;
    boolean any = false;
    for (Object item : Iteration.items(value)) {
      Object key = sortKey(attribute == null ? item : attributeOf(r, item, attribute, Args.MISSING), caseSensitive);
      if (!any || Compare.compare(key, bestKey) < 0) {
        best = item;
        bestKey = key;
        any = true;
      }
    }
    return any ? best : Undefined.because("No aggregated item, sequence was empty.");
  }

  private static Object dictsort(Renderer r, Object value, Args args) {
    Object[] a = args.bind("dictsort", "case_sensitive", "by", "reverse");
    boolean caseSensitive = Types.truthy(Args.orDefault(a[0], false));
    String by = Repr.str(Args.orDefault(a[1], "key"));
    boolean reverse = Types.truthy(Args.orDefault(a[2], false));
    if (!by.equals("key") && !by.equals("value")) {
      throw new EvalError("You can only sort by either \"key\" or \"value\"");
    }
    if (value instanceof Undefined u) {
      throw u.fail();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new EvalError("dictsort needs a dict, not '" + Types.name(value) + "'");
    }
    List<Object> items = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      items.add(new Tuple(e.getKey(), e.getValue()));
    }
    int index = by.equals("key") ? 0 : 1;
    Comparator<Object> order = (x, y) -> Compare.compare(sortKey(((Tuple) x).get(index), caseSensitive),
        sortKey(((Tuple) y).get(index), caseSensitive));
    items.sort(reverse ? order.reversed() : order);
    r.chargeItems(items.size());
    return items;
  }
}
