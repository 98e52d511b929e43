package dev.banter.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Python methods chat templates call on strings, lists and dicts, such as
 * {@code content.split('</think>')}, {@code message.get('name')} or {@code ns.items.append(x)}.
 */
final class Methods {
  private static final Set<String> STRING = Parser.names(
      "endswith", "format", "lower", "lstrip", "replace", "rstrip", "split", "startswith", "strip", "upper");
  private static final Set<String> LIST = Parser.names("append", "pop");
  private static final Set<String> DICT = Parser.names("get", "items", "keys");

  private Methods() {}

  /** A method taken from a value, ready to be called: {@code "a b".split}. */
  record Bound(Object receiver, String method) implements Func {
    @Override
    public Object call(Renderer renderer, Args args) {
      return Methods.call(renderer, receiver, method, args);
    }

    @Override
    public String name() {
      return Types.name(receiver) + "." + method;
    }
  }

  static boolean has(Object receiver, String name) {
    if (receiver instanceof String) {
      return STRING.contains(name);
    } else if (receiver instanceof List && !(receiver instanceof Tuple)) {
      return LIST.contains(name);
    } else if (receiver instanceof Map) {
      return DICT.contains(name);
    }
    return false;
  }

  private static Object call(Renderer r, Object receiver, String name, Args args) {
    if (receiver instanceof String s) {
      return string(r, s, name, args);
    } else if (receiver instanceof List<?> list) {
      @SuppressWarnings("unchecked")
      List<Object> items = (List<Object>) list;
      return list(r, items, name, args);
    }
    @SuppressWarnings("unchecked")
    Map<Object, Object> map = (Map<Object, Object>) receiver;
    return dict(r, map, name, args);
  }

  private static Object string(Renderer r, String s, String name, Args args) {
    String qualified = "str." + name;
    return switch (name) {
      case "upper" -> {
        args.bind(qualified);
        yield s.toUpperCase(Locale.ROOT);
      }
      case "lower" -> {
        args.bind(qualified);
        yield s.toLowerCase(Locale.ROOT);
      }
      case "strip", "lstrip", "rstrip" -> {
        Object chars = Args.orDefault(args.bind(qualified, "chars")[0], null);
        yield Text.strip(s, chars == null ? null : text(chars, qualified), !name.equals("rstrip"),
            !name.equals("lstrip"));
      }
      case "split" -> {
        Object[] a = args.bind(qualified, "sep", "maxsplit");
        Object sep = Args.orDefault(a[0], null);
        List<Object> parts = Text.split(s, sep == null ? null : text(sep, qualified),
            Types.toLong(Args.orDefault(a[1], -1L), "maxsplit"));
        r.chargeItems(parts.size());
        yield parts;
      }
      case "startswith" -> s.startsWith(text(args.bindRequired(qualified, 1, "prefix")[0], qualified));
      case "endswith" -> s.endsWith(text(args.bindRequired(qualified, 1, "suffix")[0], qualified));
      case "replace" -> {
        Object[] a = args.bindRequired(qualified, 2, "old", "new", "count");
        long count = Types.toLong(Args.orDefault(a[2], -1L), "count");
        yield r.checkString(Text.replace(s, text(a[0], qualified), text(a[1], qualified), count));
      }
      case "format" -> {
        if (!args.keywords.isEmpty()) {
          throw new EvalError("str.format() supports only '{}' fields filled by position, not keyword arguments");
        }
        yield r.checkString(Text.format(s, args.positional));
      }
      default -> throw new IllegalStateException(name);
    };
  }

  private static String text(Object v, String method) {
    if (v instanceof String s) {
      return s;
    } else if (v instanceof Undefined u) {
      throw u.fail();
    }
    throw new EvalError(method + "() expects a string argument, not '" + Types.name(v) + "'");
  }

  private static Object list(Renderer r, List<Object> list, String name, Args args) {
    try {
      if (name.equals("append")) {
        Object item = args.bindRequired("list.append", 1, "object")[0];
        r.chargeItems(1);
        list.add(item);
        return null;
      }
      Object index = Args.orDefault(args.bind("list.pop", "index")[0], -1L);
      if (list.isEmpty()) {
        throw new EvalError("pop from empty list");
      }
      long i = Types.toLong(index, "the index");
      if (i < 0) {
        i += list.size();
      }
      if (i < 0 || i >= list.size()) {
        throw new EvalError("pop index out of range");
      }
      return list.remove((int) i);
    } catch (UnsupportedOperationException e) {
      throw new EvalError("this " + Types.name(list) + " cannot be changed");
    }
  }

  private static Object dict(Renderer r, Map<Object, Object> map, String name, Args args) {
    return switch (name) {
      case "get" -> {
        Object[] a = args.bindRequired("dict.get", 1, "key", "default");
        Object value = Lookup.mapGet(map, a[0]);
        if (value == Lookup.ABSENT) {
          yield Args.orDefault(a[1], null);
        }
        r.accessed(map, a[0]);
        yield value;
      }
      case "items" -> {
        args.bind("dict.items");
        List<Object> out = new ArrayList<>(map.size());
        for (Map.Entry<Object, Object> e : map.entrySet()) {
          out.add(new Tuple(e.getKey(), e.getValue()));
        }
        r.chargeItems(out.size());
        yield out;
      }
      case "keys" -> {
        args.bind("dict.keys");
        r.chargeItems(map.size());
        yield new ArrayList<>(map.keySet());
      }
      default -> throw new IllegalStateException(name);
    };
  }
}
