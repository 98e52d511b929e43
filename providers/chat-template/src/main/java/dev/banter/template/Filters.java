package dev.banter.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Jinja's built-in filters, the names after {@code |}, with Hugging Face's {@code tojson}. */
final class Filters {
  static final Set<String> NAMES = new HashSet<>(Arrays.asList(
      "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e",
      "escape", "first", "float", "forceescape", "format", "indent", "int", "items", "join", "last",
      "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse",
      "round", "safe", "select", "selectattr", "slice", "sort", "string", "sum", "title", "tojson",
      "trim", "truncate", "unique", "upper", "wordcount"));

  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(?:(?:\\d(?:_?\\d)*)?\\.\\d(?:_?\\d)*|\\d(?:_?\\d)*\\.?)(?:[eE][+-]?\\d(?:_?\\d)*)?");
  private static final Pattern SPECIAL_FLOAT = Pattern.compile("[+-]?(?:inf|infinity|nan)",
      Pattern.CASE_INSENSITIVE);

  private Filters() {}

  static Object apply(Renderer r, String name, Object value, Args args) {
    Object[] a;
    switch (name) {
      case "safe":
      case "string":
        args.bind(name);
        return Py.str(value);
      case "e":
      case "escape":
      case "forceescape":
        args.bind(name);
        return r.checkString(Text.htmlEscape(Py.str(value)));
      case "upper":
        args.bind(name);
        return Py.str(value).toUpperCase(Locale.ROOT);
      case "lower":
        args.bind(name);
        return Py.str(value).toLowerCase(Locale.ROOT);
      case "capitalize":
        args.bind(name);
        return Text.capitalize(Py.str(value));
      case "title":
        args.bind(name);
        return Text.jinjaTitle(Py.str(value));
      case "trim":
        a = args.bind(name, "chars");
        Object chars = Args.orDefault(a[0], null);
        return Text.strip(Py.str(value), chars == null ? null : Methods.text(chars, "trim"), true, true);
      case "wordcount":
        args.bind(name);
        return Text.wordCount(Py.str(value));
      case "length":
      case "count":
        args.bind(name);
        return (long) Py.len(value);
      case "replace": {
        a = args.bindRequired(name, 2, "old", "new", "count");
        long count = a[2] == Args.MISSING || a[2] == null ? -1 : Py.toLong(a[2], "count");
        return r.checkString(Text.replace(Py.str(value), Py.str(a[0]), Py.str(a[1]), count));
      }
      case "center": {
        a = args.bind(name, "width");
        return r.checkString(Text.pad(Py.str(value), Py.toLong(Args.orDefault(a[0], 80L), "width"), " ", "center"));
      }
      case "indent": {
        a = args.bind(name, "width", "first", "blank");
        Object width = Args.orDefault(a[0], 4L);
        String indentation;
        if (width instanceof String) {
          indentation = (String) width;
        } else {
          long n = Math.max(0, Py.toLong(width, "width"));
          if (n > 1000) {
            throw new EvalError("indent width " + n + " is larger than 1000");
          }
          indentation = Text.pad("", n, " ", "ljust");
        }
        return r.checkString(Text.indent(Methods.text(value, "indent"), indentation,
            Py.truthy(Args.orDefault(a[1], false)), Py.truthy(Args.orDefault(a[2], false))));
      }
      case "truncate":
        return truncate(value, args);
      case "format":
        if (!args.positional.isEmpty() && !args.keywords.isEmpty()) {
          throw new EvalError("can't handle positional and keyword arguments at the same time");
        }
        return r.checkString(PyFormat.percent(Py.str(value),
            args.keywords.isEmpty() ? Tuple.of(args.positional) : new java.util.LinkedHashMap<Object, Object>(args.keywords)));
      case "d":
      case "default": {
        a = args.bind(name, "default_value", "boolean");
        Object fallback = Args.orDefault(a[0], "");
        boolean onFalse = Py.truthy(Args.orDefault(a[1], false));
        return value instanceof Undefined || (onFalse && !Py.truthy(value)) ? fallback : value;
      }
      case "int":
        return toInt(value, args);
      case "float":
        return toFloat(value, args);
      case "abs":
        args.bind(name);
        if (value instanceof Double) {
          return Math.abs((Double) value);
        }
        if (Py.isIntLike(value)) {
          return Py.integer(Py.big(value).abs());
        }
        if (value instanceof Undefined) {
          throw ((Undefined) value).fail();
        }
        throw new EvalError("bad operand type for abs(): '" + Py.typeName(value) + "'");
      case "round":
        return round(value, args);
      case "tojson":
        return r.checkString(tojson(value, args));
      case "list": {
        args.bind(name);
        List<Object> out = new ArrayList<>(Py.iterate(value));
        r.chargeItems(out.size());
        return out;
      }
      case "first": {
        args.bind(name);
        List<Object> items = Py.iterate(value);
        return items.isEmpty() ? Undefined.because("No first item, sequence was empty.") : items.get(0);
      }
      case "last": {
        args.bind(name);
        List<Object> items = Py.iterate(value);
        return items.isEmpty() ? Undefined.because("No last item, sequence was empty.") : items.get(items.size() - 1);
      }
      case "reverse": {
        args.bind(name);
        if (value instanceof String) {
          return new StringBuilder((String) value).reverse().toString();
        }
        List<Object> out = new ArrayList<>(Py.iterate(value));
        java.util.Collections.reverse(out);
        r.chargeItems(out.size());
        return out;
      }
      case "items": {
        args.bind(name);
        if (value instanceof Undefined) {
          return new ArrayList<>();
        }
        if (!(value instanceof Map)) {
          throw new EvalError("Can only get item pairs from a mapping, not '" + Py.typeName(value) + "'");
        }
        List<Object> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          out.add(new Tuple(e.getKey(), e.getValue()));
        }
        r.chargeItems(out.size());
        return out;
      }
      case "dictsort":
        return dictsort(r, value, args);
      case "join": {
        a = args.bind(name, "d", "attribute");
        String separator = Py.str(Args.orDefault(a[0], ""));
        Object attribute = Args.orDefault(a[1], null);
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Object item : Py.iterate(value)) {
          if (!first) {
            sb.append(separator);
          }
          first = false;
          sb.append(Py.str(attribute == null ? item : attributeOf(r, item, attribute, Args.MISSING)));
          if (sb.length() > Limits.MAX_STRING_CHARS) {
            throw new EvalError("join produced more than " + Limits.MAX_STRING_CHARS + " chars");
          }
        }
        return r.checkString(sb.toString());
      }
      case "attr": {
        a = args.bindRequired(name, 1, "name");
        if (value instanceof Undefined) {
          throw ((Undefined) value).fail();
        }
        String attribute = Py.str(a[0]);
        if (value instanceof Map) {
          return Methods.isDictMethod(attribute) ? new Methods.Bound(value, attribute)
              : Undefined.attribute(value, attribute);
        }
        return Py.getAttr(r, value, attribute);
      }
      case "map":
        return map(r, value, args);
      case "select":
      case "reject":
        return select(r, value, args, name.equals("select"), false);
      case "selectattr":
      case "rejectattr":
        return select(r, value, args, name.equals("selectattr"), true);
      case "unique":
        return unique(r, value, args);
      case "sort":
        return sort(r, value, args);
      case "min":
      case "max":
        return minMax(r, value, args, name);
      case "sum": {
        a = args.bind(name, "attribute", "start");
        Object total = Args.orDefault(a[1], 0L);
        Object attribute = Args.orDefault(a[0], null);
        for (Object item : Py.iterate(value)) {
          total = Py.binary(r, "+", total, attribute == null ? item : attributeOf(r, item, attribute, Args.MISSING));
        }
        return total;
      }
      case "batch":
        return batch(r, value, args);
      case "slice":
        return slice(r, value, args);
      default:
        throw new EvalError("no filter named '" + name + "'");
    }
  }

  // ---------------------------------------------------------------- conversions

  private static Object toInt(Object value, Args args) {
    Object[] a = args.bind("int", "default", "base");
    Object fallback = Args.orDefault(a[0], 0L);
    long base = Py.toLong(Args.orDefault(a[1], 10L), "base");
    if (value instanceof Undefined) {
      throw ((Undefined) value).fail();
    }
    if (value instanceof String) {
      Object parsed = parseInt(Text.strip((String) value, null, true, true), base);
      if (parsed != null) {
        return parsed;
      }
      Double d = parseFloat((String) value);
      if (d != null && !d.isNaN() && !d.isInfinite()) {
        return Py.integer(new BigDecimal(d).toBigInteger());
      }
      return fallback;
    }
    if (Py.isIntLike(value)) {
      return Py.integer(Py.big(value));
    }
    if (value instanceof Double) {
      double d = (Double) value;
      return Double.isNaN(d) || Double.isInfinite(d) ? fallback : Py.integer(new BigDecimal(d).toBigInteger());
    }
    return fallback;
  }

  /** Python's {@code int(text, base)} for an already stripped string, or {@code null}. */
  private static Object parseInt(String s, long base) {
    if (base != 0 && (base < 2 || base > 36)) {
      throw new EvalError("int() base must be >= 2 and <= 36, or 0");
    }
    String t = s;
    boolean negative = false;
    if (t.startsWith("+") || t.startsWith("-")) {
      negative = t.startsWith("-");
      t = t.substring(1);
    }
    int radix = (int) base;
    String lower = t.toLowerCase(Locale.ROOT);
    if ((base == 16 || base == 0) && lower.startsWith("0x")) {
      radix = 16;
      t = t.substring(2);
    } else if ((base == 8 || base == 0) && lower.startsWith("0o")) {
      radix = 8;
      t = t.substring(2);
    } else if ((base == 2 || base == 0) && lower.startsWith("0b")) {
      radix = 2;
      t = t.substring(2);
    } else if (base == 0) {
      radix = 10;
    }
    if (t.isEmpty() || t.startsWith("_") || t.endsWith("_") || t.contains("__") || t.length() > 4300) {
      return null;
    }
    String digits = t.replace("_", "");
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), radix) < 0 || digits.charAt(i) > 0x7f) {
        return null;
      }
    }
    BigInteger v = new BigInteger(digits, radix);
    return Py.integer(negative ? v.negate() : v);
  }

  /** Python's {@code float(text)}, or {@code null} when the text is not a float. */
  static Double parseFloat(String text) {
    String s = Text.strip(text, null, true, true);
    if (SPECIAL_FLOAT.matcher(s).matches()) {
      boolean negative = s.startsWith("-");
      return s.toLowerCase(Locale.ROOT).contains("nan") ? Double.NaN
          : negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (s.length() > 1000 || !FLOAT.matcher(s).matches()) {
      return null;
    }
    return Double.parseDouble(s.replace("_", ""));
  }

  private static Object toFloat(Object value, Args args) {
    Object[] a = args.bind("float", "default");
    Object fallback = Args.orDefault(a[0], 0.0);
    if (value instanceof Undefined) {
      throw ((Undefined) value).fail();
    }
    if (value instanceof String) {
      Double d = parseFloat((String) value);
      return d == null ? fallback : d;
    }
    if (Py.isNumber(value)) {
      return Py.toDouble(value);
    }
    return fallback;
  }

  private static Object round(Object value, Args args) {
    Object[] a = args.bind("round", "precision", "method");
    long precision = Py.toLong(Args.orDefault(a[0], 0L), "precision");
    String method = Py.str(Args.orDefault(a[1], "common"));
    if (!method.equals("common") && !method.equals("ceil") && !method.equals("floor")) {
      throw new EvalError("method must be common, ceil or floor");
    }
    if (value instanceof Undefined) {
      throw ((Undefined) value).fail();
    }
    if (!Py.isNumber(value)) {
      throw new EvalError("type " + Py.typeName(value) + " doesn't define __round__ method");
    }
    if (Math.abs(precision) > 400) {
      throw new EvalError("round() precision " + precision + " is out of range");
    }
    if (Py.isIntLike(value) && method.equals("common")) {
      if (precision >= 0) {
        return Py.integer(Py.big(value));
      }
      BigDecimal d = new BigDecimal(Py.big(value)).setScale((int) precision, RoundingMode.HALF_EVEN);
      return Py.integer(d.toBigInteger());
    }
    double d = Py.toDouble(value);
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return d;
    }
    RoundingMode mode = method.equals("common") ? RoundingMode.HALF_EVEN
        : method.equals("ceil") ? RoundingMode.CEILING : RoundingMode.FLOOR;
    double rounded = new BigDecimal(d).setScale((int) precision, mode).doubleValue();
    return rounded == 0 && d < 0 ? -0.0 : rounded;
  }

  private static String tojson(Object value, Args args) {
    Object[] a = args.bind("tojson", "indent", "ensure_ascii", "separators", "sort_keys");
    Object indent = Args.orDefault(a[0], null);
    String indentText = null;
    if (indent instanceof String) {
      indentText = (String) indent;
    } else if (indent != null) {
      long n = Math.max(0, Py.toLong(indent, "indent"));
      if (n > 1000) {
        throw new EvalError("tojson indent " + n + " is larger than 1000");
      }
      indentText = Text.pad("", n, " ", "ljust");
    }
    String itemSeparator = null;
    String keySeparator = null;
    Object separators = Args.orDefault(a[2], null);
    if (separators != null) {
      if (!(separators instanceof List) || ((List<?>) separators).size() != 2) {
        throw new EvalError("tojson separators must be a pair such as (', ', ': ')");
      }
      itemSeparator = Py.str(((List<?>) separators).get(0));
      keySeparator = Py.str(((List<?>) separators).get(1));
    }
    return new JsonWriter(indentText, itemSeparator, keySeparator,
        Py.truthy(Args.orDefault(a[1], false)), Py.truthy(Args.orDefault(a[3], false))).write(value);
  }

  private static Object truncate(Object value, Args args) {
    Object[] a = args.bind("truncate", "length", "killwords", "end", "leeway");
    long length = Py.toLong(Args.orDefault(a[0], 255L), "length");
    boolean killWords = Py.truthy(Args.orDefault(a[1], false));
    String end = Py.str(Args.orDefault(a[2], "..."));
    Object leewayArg = Args.orDefault(a[3], null);
    long leeway = leewayArg == null ? 5 : Py.toLong(leewayArg, "leeway");
    int endLength = Py.codePointLength(end);
    if (length < endLength) {
      throw new EvalError("expected length >= " + endLength + ", got " + length);
    }
    if (leeway < 0) {
      throw new EvalError("expected leeway >= 0, got " + leeway);
    }
    if (Py.len(value) <= length + leeway) {
      return value;
    }
    String s = Methods.text(value, "truncate");
    String head = Text.codePointSlice(s, 0, (int) (length - endLength));
    if (killWords) {
      return head + end;
    }
    int space = head.lastIndexOf(' ');
    return (space >= 0 ? head.substring(0, space) : head) + end;
  }

  // ---------------------------------------------------------------- attributes and sequences

  /** Jinja's attribute getter: {@code "a.b.0"} looks up {@code a}, then {@code b}, then item 0. */
  static Object attributeOf(Renderer r, Object item, Object attribute, Object fallback) {
    Object current = item;
    List<Object> parts = new ArrayList<>();
    if (attribute instanceof String) {
      for (String part : ((String) attribute).split("\\.", -1)) {
        parts.add(!part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9') && part.length() < 10
            ? (Object) Long.parseLong(part) : part);
      }
    } else {
      parts.add(attribute);
    }
    for (Object part : parts) {
      current = Py.getItem(r, current, part);
      if (current instanceof Undefined) {
        return fallback == Args.MISSING ? current : fallback;
      }
    }
    return current;
  }

  private static Object sortKey(Object v, boolean caseSensitive) {
    return !caseSensitive && v instanceof String ? ((String) v).toLowerCase(Locale.ROOT) : v;
  }

  private static Object map(Renderer r, Object value, Args args) {
    List<Object> out = new ArrayList<>();
    if (args.positional.isEmpty() && args.keywords.containsKey("attribute")) {
      Object[] a = args.bind("map", "attribute", "default");
      for (Object item : Py.iterate(value)) {
        out.add(attributeOf(r, item, a[0], a[1]));
      }
    } else {
      if (args.positional.isEmpty()) {
        throw new EvalError("map requires a filter name or attribute=");
      }
      String filter = Py.str(args.positional.get(0));
      if (!NAMES.contains(filter)) {
        throw new EvalError("no filter named '" + filter + "'");
      }
      Args rest = new Args(args.positional.subList(1, args.positional.size()), args.keywords);
      for (Object item : Py.iterate(value)) {
        r.step();
        out.add(apply(r, filter, item, rest));
      }
    }
    r.chargeItems(out.size());
    return out;
  }

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
    String test = positional.isEmpty() ? null : Py.str(positional.get(0));
    if (test != null && !Tests.NAMES.contains(test)) {
      throw new EvalError("no test named '" + test + "'");
    }
    Args testArgs = new Args(positional.isEmpty() ? positional : positional.subList(1, positional.size()),
        args.keywords);
    List<Object> out = new ArrayList<>();
    for (Object item : Py.iterate(value)) {
      r.step();
      Object subject = byAttribute ? attributeOf(r, item, attribute, Args.MISSING) : item;
      boolean passes = test == null ? Py.truthy(subject) : Tests.apply(r, test, subject, testArgs);
      if (passes == keep) {
        out.add(item);
      }
    }
    r.chargeItems(out.size());
    return out;
  }

  private static Object unique(Renderer r, Object value, Args args) {
    Object[] a = args.bind("unique", "case_sensitive", "attribute");
    boolean caseSensitive = Py.truthy(Args.orDefault(a[0], false));
    Object attribute = Args.orDefault(a[1], null);
    List<Object> out = new ArrayList<>();
    List<Object> seen = new ArrayList<>();
    for (Object item : Py.iterate(value)) {
      r.step();
      Object key = sortKey(attribute == null ? item : attributeOf(r, item, attribute, Args.MISSING), caseSensitive);
      if (!Py.contains(seen, key)) {
        seen.add(key);
        out.add(item);
      }
    }
    r.chargeItems(out.size());
    return out;
  }

  private static Object sort(Renderer r, Object value, Args args) {
    Object[] a = args.bind("sort", "reverse", "case_sensitive", "attribute");
    boolean reverse = Py.truthy(Args.orDefault(a[0], false));
    boolean caseSensitive = Py.truthy(Args.orDefault(a[1], false));
    Object attribute = Args.orDefault(a[2], null);
    List<Object> items = new ArrayList<>(Py.iterate(value));
    List<Object> attributes = new ArrayList<>();
    if (attribute instanceof String && ((String) attribute).contains(",")) {
      for (String part : ((String) attribute).split(",")) {
        attributes.add(part.trim());
      }
    } else if (attribute != null) {
      attributes.add(attribute);
    }
    Comparator<Object> order = (x, y) -> {
      if (attributes.isEmpty()) {
        return Py.compare(sortKey(x, caseSensitive), sortKey(y, caseSensitive), "<");
      }
      for (Object attr : attributes) {
        int c = Py.compare(sortKey(attributeOf(r, x, attr, Args.MISSING), caseSensitive),
            sortKey(attributeOf(r, y, attr, Args.MISSING), caseSensitive), "<");
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
    r.chargeItems(items.size());
    items.sort(reverse ? order.reversed() : order);
    return items;
  }

  private static Object minMax(Renderer r, Object value, Args args, String name) {
    Object[] a = args.bind(name, "case_sensitive", "attribute");
    boolean caseSensitive = Py.truthy(Args.orDefault(a[0], false));
    Object attribute = Args.orDefault(a[1], null);
    Object best = null;
    Object bestKey = null;
    boolean any = false;
    for (Object item : Py.iterate(value)) {
      Object key = sortKey(attribute == null ? item : attributeOf(r, item, attribute, Args.MISSING), caseSensitive);
      int c = any ? Py.compare(key, bestKey, "<") : 0;
      if (!any || (name.equals("min") ? c < 0 : c > 0)) {
        best = item;
        bestKey = key;
        any = true;
      }
    }
    return any ? best : Undefined.because("No aggregated item, sequence was empty.");
  }

  private static Object dictsort(Renderer r, Object value, Args args) {
    Object[] a = args.bind("dictsort", "case_sensitive", "by", "reverse");
    boolean caseSensitive = Py.truthy(Args.orDefault(a[0], false));
    String by = Py.str(Args.orDefault(a[1], "key"));
    boolean reverse = Py.truthy(Args.orDefault(a[2], false));
    if (!by.equals("key") && !by.equals("value")) {
      throw new EvalError("You can only sort by either \"key\" or \"value\"");
    }
    if (value instanceof Undefined) {
      throw ((Undefined) value).fail();
    }
    if (!(value instanceof Map)) {
      throw new EvalError("dictsort needs a dict, not '" + Py.typeName(value) + "'");
    }
    List<Object> items = new ArrayList<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
      items.add(new Tuple(e.getKey(), e.getValue()));
    }
    int index = by.equals("key") ? 0 : 1;
    Comparator<Object> order = (x, y) -> Py.compare(sortKey(((Tuple) x).get(index), caseSensitive),
        sortKey(((Tuple) y).get(index), caseSensitive), "<");
    items.sort(reverse ? order.reversed() : order);
    r.chargeItems(items.size());
    return items;
  }

  private static Object batch(Renderer r, Object value, Args args) {
    Object[] a = args.bindRequired("batch", 1, "linecount", "fill_with");
    long size = Py.toLong(a[0], "linecount");
    if (size <= 0) {
      throw new EvalError("batch size must be positive, got " + size);
    }
    List<Object> out = new ArrayList<>();
    List<Object> current = new ArrayList<>();
    for (Object item : Py.iterate(value)) {
      if (current.size() == size) {
        out.add(current);
        current = new ArrayList<>();
      }
      current.add(item);
    }
    if (!current.isEmpty()) {
      if (a[1] != Args.MISSING && a[1] != null) {
        if (size > Limits.MAX_LIST_ITEMS) {
          throw new EvalError("batch size " + size + " exceeds the limit of " + Limits.MAX_LIST_ITEMS);
        }
        while (current.size() < size) {
          current.add(a[1]);
        }
      }
      out.add(current);
    }
    r.chargeItems(out.size() + Py.len(value));
    return out;
  }

  private static Object slice(Renderer r, Object value, Args args) {
    Object[] a = args.bindRequired("slice", 1, "slices", "fill_with");
    long slices = Py.toLong(a[0], "slices");
    if (slices <= 0 || slices > Limits.MAX_LIST_ITEMS) {
      throw new EvalError("slice count must be between 1 and " + Limits.MAX_LIST_ITEMS + ", got " + slices);
    }
    List<Object> seq = new ArrayList<>(Py.iterate(value));
    int length = seq.size();
    int perSlice = (int) (length / slices);
    int withExtra = (int) (length % slices);
    int offset = 0;
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      int start = offset + i * perSlice;
      if (i < withExtra) {
        offset++;
      }
      int end = offset + (i + 1) * perSlice;
      List<Object> part = new ArrayList<>(seq.subList(start, end));
      if (a[1] != Args.MISSING && a[1] != null && i >= withExtra) {
        part.add(a[1]);
      }
      out.add(part);
    }
    r.chargeItems(out.size() + length);
    return out;
  }
}
