package dev.banter.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Python methods templates call on strings, lists, tuples and dicts, such as
 * {@code content.split('</think>')}, {@code message.get('name')} or {@code ns.items.append(x)}.
 */
final class Methods {
  private static final Set<String> STRING = new HashSet<>(Arrays.asList(
      "capitalize", "center", "count", "endswith", "find", "format", "index", "isalnum", "isalpha",
      "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join", "ljust",
      "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex",
      "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
      "swapcase", "title", "upper", "zfill"));
  private static final Set<String> LIST = new HashSet<>(Arrays.asList(
      "append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse"));
  private static final Set<String> TUPLE = new HashSet<>(Arrays.asList("count", "index"));
  private static final Set<String> DICT = new HashSet<>(Arrays.asList(
      "clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update",
      "values"));

  private Methods() {}

  /** A method taken from a value, ready to be called: {@code "a b".split}. */
  static final class Bound implements Func {
    final Object receiver;
    final String method;

    Bound(Object receiver, String method) {
      this.receiver = receiver;
      this.method = method;
    }

    @Override
    public Object call(Renderer renderer, Args args) {
      return Methods.call(renderer, receiver, method, args);
    }

    @Override
    public String name() {
      return Py.typeName(receiver) + "." + method;
    }
  }

  static boolean isDictMethod(String name) {
    return DICT.contains(name);
  }

  static boolean has(Object receiver, String name) {
    if (receiver instanceof String) {
      return STRING.contains(name);
    } else if (receiver instanceof Tuple) {
      return TUPLE.contains(name);
    } else if (receiver instanceof List) {
      return LIST.contains(name);
    } else if (receiver instanceof Map) {
      return DICT.contains(name);
    }
    return false;
  }

  static Object call(Renderer r, Object receiver, String name, Args args) {
    if (receiver instanceof String) {
      return string(r, (String) receiver, name, args);
    } else if (receiver instanceof List) {
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) receiver;
      return list(r, list, name, args);
    } else if (receiver instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<Object, Object> map = (Map<Object, Object>) receiver;
      return dict(r, map, name, args);
    }
    throw new EvalError("'" + Py.typeName(receiver) + "' object has no attribute '" + name + "'");
  }

  // ---------------------------------------------------------------- str

  private static Object string(Renderer r, String s, String name, Args args) {
    Object[] a;
    switch (name) {
      case "upper":
        args.bind("str.upper");
        return s.toUpperCase(Locale.ROOT);
      case "lower":
        args.bind("str.lower");
        return s.toLowerCase(Locale.ROOT);
      case "title":
        args.bind("str.title");
        return Text.pythonTitle(s);
      case "capitalize":
        args.bind("str.capitalize");
        return Text.capitalize(s);
      case "swapcase":
        args.bind("str.swapcase");
        return Text.swapCase(s);
      case "strip":
      case "lstrip":
      case "rstrip":
        a = args.bind("str." + name, "chars");
        Object chars = Args.orDefault(a[0], null);
        return Text.strip(s, chars == null ? null : text(chars, "str." + name),
            !name.equals("rstrip"), !name.equals("lstrip"));
      case "split":
      case "rsplit":
        a = args.bind("str." + name, "sep", "maxsplit");
        Object sep = Args.orDefault(a[0], null);
        long maxsplit = Py.toLong(Args.orDefault(a[1], -1L), "maxsplit");
        List<Object> parts = name.equals("split")
            ? Text.split(s, sep == null ? null : text(sep, "str.split"), maxsplit)
            : Text.rsplit(s, sep == null ? null : text(sep, "str.rsplit"), maxsplit);
        r.chargeItems(parts.size());
        return parts;
      case "splitlines":
        a = args.bind("str.splitlines", "keepends");
        List<Object> lines = Text.splitLines(s, Py.truthy(Args.orDefault(a[0], false)));
        r.chargeItems(lines.size());
        return lines;
      case "startswith":
      case "endswith": {
        a = args.bindRequired("str." + name, 1, name.equals("startswith") ? "prefix" : "suffix",
            "start", "end");
        String within = (String) Py.slice(s, Args.orDefault(a[1], null), Args.orDefault(a[2], null), null);
        List<Object> candidates = a[0] instanceof Tuple ? (Tuple) a[0] : Arrays.asList(a[0]);
        for (Object c : candidates) {
          String affix = text(c, "str." + name);
          if (name.equals("startswith") ? within.startsWith(affix) : within.endsWith(affix)) {
            return true;
          }
        }
        return false;
      }
      case "find":
      case "rfind":
      case "index":
      case "rindex": {
        a = args.bindRequired("str." + name, 1, "sub", "start", "end");
        String sub = text(a[0], "str." + name);
        long start = a[1] == Args.MISSING || a[1] == null ? 0 : Py.toLong(a[1], "start");
        int length = Py.codePointLength(s);
        if (start < 0) {
          start = Math.max(0, start + length);
        }
        String within = (String) Py.slice(s, a[1] == Args.MISSING ? null : a[1],
            a[2] == Args.MISSING ? null : a[2], null);
        int at = name.startsWith("r") ? within.lastIndexOf(sub) : within.indexOf(sub);
        if (at < 0) {
          if (name.endsWith("index")) {
            throw new EvalError("substring not found");
          }
          return -1L;
        }
        return Math.min(start, length) + within.codePointCount(0, at);
      }
      case "count": {
        a = args.bindRequired("str.count", 1, "sub", "start", "end");
        String sub = text(a[0], "str.count");
        String within = (String) Py.slice(s, Args.orDefault(a[1], null), Args.orDefault(a[2], null), null);
        if (sub.isEmpty()) {
          return (long) Py.codePointLength(within) + 1;
        }
        long n = 0;
        for (int i = within.indexOf(sub); i >= 0; i = within.indexOf(sub, i + sub.length())) {
          n++;
        }
        return n;
      }
      case "replace": {
        a = args.bindRequired("str.replace", 2, "old", "new", "count");
        long count = Py.toLong(Args.orDefault(a[2], -1L), "count");
        return r.checkString(Text.replace(s, text(a[0], "str.replace"), text(a[1], "str.replace"), count));
      }
      case "join": {
        a = args.bindRequired("str.join", 1, "iterable");
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Object item : Py.iterate(a[0])) {
          if (!(item instanceof String)) {
            throw new EvalError("sequence item: expected str instance, " + Py.typeName(item) + " found");
          }
          if (!first) {
            sb.append(s);
          }
          first = false;
          sb.append((String) item);
          if (sb.length() > Limits.MAX_STRING_CHARS) {
            throw new EvalError("str.join() produced more than " + Limits.MAX_STRING_CHARS + " chars");
          }
        }
        return r.checkString(sb.toString());
      }
      case "format":
        return r.checkString(PyFormat.format(s, args));
      case "center":
      case "ljust":
      case "rjust": {
        a = args.bindRequired("str." + name, 1, "width", "fillchar");
        String fill = a[1] == Args.MISSING ? " " : text(a[1], "str." + name);
        if (Py.codePointLength(fill) != 1) {
          throw new EvalError("the fill character must be exactly one character long");
        }
        long width = Py.toLong(a[0], "width");
        return r.checkString(Text.pad(s, width, fill, name));
      }
      case "zfill": {
        a = args.bindRequired("str.zfill", 1, "width");
        return r.checkString(Text.zfill(s, Py.toLong(a[0], "width")));
      }
      case "partition":
      case "rpartition": {
        a = args.bindRequired("str." + name, 1, "sep");
        String sepText = text(a[0], "str." + name);
        if (sepText.isEmpty()) {
          throw new EvalError("empty separator");
        }
        int at = name.equals("partition") ? s.indexOf(sepText) : s.lastIndexOf(sepText);
        if (at < 0) {
          return name.equals("partition") ? new Tuple(s, "", "") : new Tuple("", "", s);
        }
        return new Tuple(s.substring(0, at), sepText, s.substring(at + sepText.length()));
      }
      case "removeprefix": {
        a = args.bindRequired("str.removeprefix", 1, "prefix");
        String prefix = text(a[0], "str.removeprefix");
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
      }
      case "removesuffix": {
        a = args.bindRequired("str.removesuffix", 1, "suffix");
        String suffix = text(a[0], "str.removesuffix");
        return s.endsWith(suffix) && !suffix.isEmpty() ? s.substring(0, s.length() - suffix.length()) : s;
      }
      case "isalnum":
      case "isalpha":
      case "isdecimal":
      case "isdigit":
      case "isnumeric":
      case "isspace":
        args.bind("str." + name);
        return Text.allOf(s, name);
      case "islower":
        args.bind("str.islower");
        return Text.isCase(s, false);
      case "isupper":
        args.bind("str.isupper");
        return Text.isCase(s, true);
      case "istitle":
        args.bind("str.istitle");
        return Text.isTitle(s);
      default:
        throw new EvalError("'str' object has no attribute '" + name + "'");
    }
  }

  static String text(Object v, String function) {
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof Undefined) {
      throw ((Undefined) v).fail();
    }
    throw new EvalError(function + "() expects a string argument, not '" + Py.typeName(v) + "'");
  }

  // ---------------------------------------------------------------- list and tuple

  private static Object list(Renderer r, List<Object> list, String name, Args args) {
    boolean tuple = list instanceof Tuple;
    if (tuple ? !TUPLE.contains(name) : !LIST.contains(name)) {
      throw new EvalError("'" + Py.typeName(list) + "' object has no attribute '" + name + "'");
    }
    Object[] a;
    String qualified = Py.typeName(list) + "." + name;
    try {
      switch (name) {
        case "append":
          a = args.bindRequired(qualified, 1, "object");
          r.chargeItems(1);
          list.add(a[0]);
          return null;
        case "extend": {
          a = args.bindRequired(qualified, 1, "iterable");
          List<Object> more = new ArrayList<>(Py.iterate(a[0]));
          r.chargeItems(more.size());
          list.addAll(more);
          return null;
        }
        case "insert": {
          a = args.bindRequired(qualified, 2, "index", "object");
          long index = Py.toLong(a[0], "index");
          if (index < 0) {
            index = Math.max(0, index + list.size());
          }
          r.chargeItems(1);
          list.add((int) Math.min(index, list.size()), a[1]);
          return null;
        }
        case "pop": {
          a = args.bind(qualified, "index");
          if (list.isEmpty()) {
            throw new EvalError("pop from empty list");
          }
          long index = Py.toLong(Args.orDefault(a[0], -1L), "index");
          if (index < 0) {
            index += list.size();
          }
          if (index < 0 || index >= list.size()) {
            throw new EvalError("pop index out of range");
          }
          return list.remove((int) index);
        }
        case "remove": {
          a = args.bindRequired(qualified, 1, "value");
          for (int i = 0; i < list.size(); i++) {
            if (Py.eq(list.get(i), a[0])) {
              list.remove(i);
              return null;
            }
          }
          throw new EvalError("list.remove(x): x not in list");
        }
        case "index": {
          a = args.bindRequired(qualified, 1, "value");
          for (int i = 0; i < list.size(); i++) {
            if (Py.eq(list.get(i), a[0])) {
              return (long) i;
            }
          }
          throw new EvalError(Py.repr(a[0]) + " is not in " + Py.typeName(list));
        }
        case "count": {
          a = args.bindRequired(qualified, 1, "value");
          long n = 0;
          for (Object item : list) {
            if (Py.eq(item, a[0])) {
              n++;
            }
          }
          return n;
        }
        case "copy":
          args.bind(qualified);
          r.chargeItems(list.size());
          return new ArrayList<>(list);
        case "clear":
          args.bind(qualified);
          list.clear();
          return null;
        case "reverse":
          args.bind(qualified);
          java.util.Collections.reverse(list);
          return null;
        default:
          throw new IllegalStateException(name);
      }
    } catch (UnsupportedOperationException e) {
      throw new EvalError("this " + Py.typeName(list) + " cannot be changed");
    }
  }

  // ---------------------------------------------------------------- dict

  private static Object dict(Renderer r, Map<Object, Object> map, String name, Args args) {
    Object[] a;
    String qualified = "dict." + name;
    try {
      switch (name) {
        case "get": {
          a = args.bindRequired(qualified, 1, "key", "default");
          Object value = Py.mapGet(map, a[0]);
          if (value != Py.ABSENT) {
            r.accessed(map, a[0]);
            return value;
          }
          return Args.orDefault(a[1], null);
        }
        case "items": {
          args.bind(qualified);
          List<Object> out = new ArrayList<>(map.size());
          for (Map.Entry<Object, Object> e : map.entrySet()) {
            out.add(new Tuple(e.getKey(), e.getValue()));
          }
          r.chargeItems(out.size());
          return out;
        }
        case "keys":
          args.bind(qualified);
          r.chargeItems(map.size());
          return new ArrayList<>(map.keySet());
        case "values":
          args.bind(qualified);
          r.chargeItems(map.size());
          return new ArrayList<>(map.values());
        case "copy":
          args.bind(qualified);
          r.chargeItems(map.size());
          return new LinkedHashMap<>(map);
        case "fromkeys": {
          a = args.bindRequired(qualified, 1, "iterable", "value");
          Map<Object, Object> out = new LinkedHashMap<>();
          for (Object key : Py.iterate(a[0])) {
            out.put(key, Args.orDefault(a[1], null));
          }
          r.chargeItems(out.size());
          return out;
        }
        case "update": {
          if (args.positional.size() > 1) {
            throw new EvalError("dict.update() takes at most 1 positional argument");
          }
          if (!args.positional.isEmpty()) {
            Object other = args.positional.get(0);
            if (!(other instanceof Map)) {
              throw new EvalError("dict.update() expects a dict, not '" + Py.typeName(other) + "'");
            }
            r.chargeItems(((Map<?, ?>) other).size());
            map.putAll((Map<?, ?>) other);
          }
          r.chargeItems(args.keywords.size());
          map.putAll(args.keywords);
          return null;
        }
        case "pop": {
          a = args.bindRequired(qualified, 1, "key", "default");
          Object value = Py.mapGet(map, a[0]);
          if (value == Py.ABSENT) {
            if (a[1] == Args.MISSING) {
              throw new EvalError("KeyError: " + Py.repr(a[0]));
            }
            return a[1];
          }
          removeKey(map, a[0]);
          return value;
        }
        case "popitem": {
          args.bind(qualified);
          if (map.isEmpty()) {
            throw new EvalError("popitem(): dictionary is empty");
          }
          Object last = null;
          for (Object key : map.keySet()) {
            last = key;
          }
          return new Tuple(last, map.remove(last));
        }
        case "setdefault": {
          a = args.bindRequired(qualified, 1, "key", "default");
          Object value = Py.mapGet(map, a[0]);
          if (value != Py.ABSENT) {
            return value;
          }
          Object fallback = Args.orDefault(a[1], null);
          r.chargeItems(1);
          map.put(a[0], fallback);
          return fallback;
        }
        case "clear":
          args.bind(qualified);
          map.clear();
          return null;
        default:
          throw new EvalError("'dict' object has no attribute '" + name + "'");
      }
    } catch (UnsupportedOperationException e) {
      throw new EvalError("this dict cannot be changed");
    }
  }

  private static void removeKey(Map<Object, Object> map, Object key) {
    if (map.containsKey(key)) {
      map.remove(key);
      return;
    }
    for (Object k : new ArrayList<>(map.keySet())) {
      if (Py.eq(k, key)) {
        map.remove(k);
        return;
      }
    }
  }
}
