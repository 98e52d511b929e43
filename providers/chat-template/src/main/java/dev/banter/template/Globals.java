package dev.banter.template;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The functions every chat template can call: Jinja's {@code range} and {@code namespace}, and
 * Hugging Face's {@code raise_exception} and {@code strftime_now}.
 */
final class Globals {
  /** Jinja's sandbox refuses ranges longer than this; so do we. */
  static final int MAX_RANGE = 100_000;

  private Globals() {}

  private interface Body {
    Object call(Renderer r, Args args);
  }

  private record Global(String name, Body body) implements Func {
    @Override
    public Object call(Renderer renderer, Args args) {
      return body.call(renderer, args);
    }
  }

  private static final Func RANGE = new Global("range", Globals::range);
  private static final Func NAMESPACE = new Global("namespace", Globals::namespace);
  private static final Func RAISE_EXCEPTION = new Global("raise_exception",
      (r, args) -> {
        throw EvalError.raised(Repr.str(args.bindRequired("raise_exception", 1, "message")[0]));
      });
  private static final Func STRFTIME_NOW = new Global("strftime_now", (r, args) -> {
    Object format = args.bindRequired("strftime_now", 1, "format")[0];
    if (!(format instanceof String pattern)) {
      throw new EvalError("strftime_now() expects a string argument, not '" + Types.name(format) + "'");
    }
    return Strftime.format(pattern, ZonedDateTime.now(r.clock));
  });

  /** The global function with that name, or {@code null}. */
  static Func lookup(String name) {
    return switch (name) {
      case "range" -> RANGE;
      case "namespace" -> NAMESPACE;
      case "raise_exception" -> RAISE_EXCEPTION;
      case "strftime_now" -> STRFTIME_NOW;
      default -> null;
    };
  }

  private static Object range(Renderer r, Args args) {
    if (!args.keywords.isEmpty()) {
      throw new EvalError("range() takes no keyword arguments");
    }
    List<Object> p = args.positional;
    if (p.isEmpty() || p.size() > 3) {
      throw new EvalError("range expected 1 to 3 arguments, got " + p.size());
    }
    long start = p.size() == 1 ? 0 : rangeArgument(p.get(0));
    long stop = rangeArgument(p.get(p.size() == 1 ? 0 : 1));
    long step = p.size() == 3 ? rangeArgument(p.get(2)) : 1;
    if (step == 0) {
      throw new EvalError("range() arg 3 must not be zero");
    }
    long count = 0;
    if (step > 0 ? start < stop : start > stop) {
      long distance;
      try {
        distance = Math.subtractExact(stop, start);
      } catch (ArithmeticException e) {
        throw new EvalError("range from " + start + " to " + stop + " is too big; at most " + MAX_RANGE
            + " items are allowed");
      }
      count = distance / step + (distance % step != 0 ? 1 : 0);
    }
    if (count > MAX_RANGE) {
      throw new EvalError("range of " + count + " items is too big; at most " + MAX_RANGE + " are allowed");
    }
    r.chargeItems(count);
    List<Object> out = new ArrayList<>((int) count);
    for (long i = 0, v = start; i < count; i++, v += step) {
      out.add(v);
    }
    return out;
  }

  private static long rangeArgument(Object v) {
    if (!Types.isIntLike(v)) {
      throw new EvalError("'" + Types.name(v) + "' object cannot be interpreted as an integer");
    }
    return Types.toLong(v, "a range() argument");
  }

  private static Object namespace(Renderer r, Args args) {
    if (!args.positional.isEmpty()) {
      throw new EvalError("namespace() takes keyword arguments only, such as namespace(found=false)");
    }
    Namespace ns = new Namespace();
    for (Map.Entry<String, Object> e : args.keywords.entrySet()) {
      ns.attributes.put(e.getKey(), e.getValue());
    }
    return ns;
  }
}
