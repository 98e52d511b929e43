package dev.banter.template;

import java.math.BigInteger;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions every chat template can call: Jinja's {@code range}, {@code namespace} and
 * {@code dict}, and Hugging Face's {@code raise_exception} and {@code strftime_now}.
 */
final class Globals {
  /** Jinja's sandbox refuses ranges longer than this; so do we. */
  static final int MAX_RANGE = 100_000;

  private Globals() {}

  private abstract static class Global implements Func {
    private final String name;

    Global(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }
  }

  private static final Func RANGE = new Global("range") {
    @Override
    public Object call(Renderer r, Args args) {
      if (!args.keywords.isEmpty()) {
        throw new EvalError("range() takes no keyword arguments");
      }
      List<Object> p = args.positional;
      if (p.isEmpty() || p.size() > 3) {
        throw new EvalError("range expected 1 to 3 arguments, got " + p.size());
      }
      long start = p.size() == 1 ? 0 : integer(p.get(0));
      long stop = integer(p.get(p.size() == 1 ? 0 : 1));
      long step = p.size() == 3 ? integer(p.get(2)) : 1;
      if (step == 0) {
        throw new EvalError("range() arg 3 must not be zero");
      }
      BigInteger span = BigInteger.valueOf(stop).subtract(BigInteger.valueOf(start));
      BigInteger by = BigInteger.valueOf(step);
      BigInteger exact = (step > 0 ? span.add(by).subtract(BigInteger.ONE) : span.add(by).add(BigInteger.ONE))
          .divide(by);
      if (exact.compareTo(BigInteger.valueOf(MAX_RANGE)) > 0) {
        throw new EvalError("range of " + exact + " items is too big; at most " + MAX_RANGE + " are allowed");
      }
      long count = Math.max(0, exact.longValue());
      r.chargeItems(count);
      List<Object> out = new ArrayList<>((int) count);
      for (long i = 0, v = start; i < count; i++, v += step) {
        out.add(v);
      }
      return out;
    }

    private long integer(Object v) {
      if (!Py.isIntLike(v)) {
        throw new EvalError("'" + Py.typeName(v) + "' object cannot be interpreted as an integer");
      }
      return Py.toLong(v, "range() argument");
    }
  };

  private static final Func NAMESPACE = new Global("namespace") {
    @Override
    public Object call(Renderer r, Args args) {
      Namespace ns = new Namespace();
      for (Map.Entry<Object, Object> e : dictFrom("namespace", args).entrySet()) {
        ns.attributes.put(Py.str(e.getKey()), e.getValue());
      }
      return ns;
    }
  };

  private static final Func DICT = new Global("dict") {
    @Override
    public Object call(Renderer r, Args args) {
      return dictFrom("dict", args);
    }
  };

  private static final Func RAISE_EXCEPTION = new Global("raise_exception") {
    @Override
    public Object call(Renderer r, Args args) {
      Object[] a = args.bindRequired("raise_exception", 1, "message");
      throw EvalError.raised(Py.str(a[0]));
    }
  };

  private static final Func STRFTIME_NOW = new Global("strftime_now") {
    @Override
    public Object call(Renderer r, Args args) {
      Object[] a = args.bindRequired("strftime_now", 1, "format");
      return Strftime.format(Methods.text(a[0], "strftime_now"), ZonedDateTime.now(r.clock));
    }
  };

  /** The global function with that name, or {@code null}. */
  static Func lookup(String name) {
    switch (name) {
      case "range":
        return RANGE;
      case "namespace":
        return NAMESPACE;
      case "dict":
        return DICT;
      case "raise_exception":
        return RAISE_EXCEPTION;
      case "strftime_now":
        return STRFTIME_NOW;
      default:
        return null;
    }
  }

  /** Python's {@code dict(mapping_or_pairs, **kwargs)}. */
  static Map<Object, Object> dictFrom(String function, Args args) {
    if (args.positional.size() > 1) {
      throw new EvalError(function + "() expected at most 1 positional argument, got " + args.positional.size());
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    if (!args.positional.isEmpty()) {
      Object source = args.positional.get(0);
      if (source instanceof Map) {
        out.putAll((Map<?, ?>) source);
      } else {
        for (Object pair : Py.iterate(source)) {
          if (!(pair instanceof List) || ((List<?>) pair).size() != 2) {
            throw new EvalError(function + "() needs a mapping or a sequence of key/value pairs");
          }
          out.put(((List<?>) pair).get(0), ((List<?>) pair).get(1));
        }
      }
    }
    out.putAll(args.keywords);
    return out;
  }
}
