package dev.banter.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An expression of the template language. Each node knows its source position; a failure inside it
 * that has no position yet is reported there.
 */
abstract class Expr {
  final int pos;
  /** Height of the tree below and including this node; the parser bounds it. */
  final int depth;

  Expr(int pos, Expr... children) {
    this.pos = pos;
    int d = 0;
    for (Expr child : children) {
      if (child != null) {
        d = Math.max(d, child.depth);
      }
    }
    this.depth = d + 1;
  }

  final Object eval(Renderer r, Scope s) {
    try {
      return evaluate(r, s);
    } catch (EvalError e) {
      throw r.error(pos, e);
    }
  }

  abstract Object evaluate(Renderer r, Scope s);

  static final class Const extends Expr {
    final Object value;

    Const(int pos, Object value) {
      super(pos);
      this.value = value;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      return value;
    }
  }

  static final class Name extends Expr {
    final String name;

    Name(int pos, String name) {
      super(pos);
      this.name = name;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      Object value = s.lookup(name);
      if (value != Lookup.ABSENT) {
        return value;
      }
      Func global = Globals.lookup(name);
      return global != null ? global : Undefined.named(name);
    }
  }

  static final class ListLiteral extends Expr {
    final Expr[] items;

    ListLiteral(int pos, Expr[] items) {
      super(pos, items);
      this.items = items;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      List<Object> out = new ArrayList<>(items.length);
      for (Expr item : items) {
        out.add(item.eval(r, s));
      }
      r.chargeItems(out.size());
      return out;
    }
  }

  static final class TupleLiteral extends Expr {
    final Expr[] items;

    TupleLiteral(int pos, Expr[] items) {
      super(pos, items);
      this.items = items;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      Object[] out = new Object[items.length];
      for (int i = 0; i < items.length; i++) {
        out[i] = items[i].eval(r, s);
      }
      r.chargeItems(out.length);
      return new Tuple(out);
    }
  }

  static final class DictLiteral extends Expr {
    final Expr[] keys;
    final Expr[] values;

    DictLiteral(int pos, Expr[] keys, Expr[] values) {
      super(pos, concat(keys, values));
      this.keys = keys;
      this.values = values;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < keys.length; i++) {
        Object key = keys[i].eval(r, s);
        if (key instanceof Undefined u) {
          throw r.error(keys[i].pos, u.fail());
        }
        if (key instanceof List || key instanceof Map || key instanceof Namespace) {
          throw r.error(keys[i].pos, new EvalError("unhashable type: '" + Types.name(key) + "'"));
        }
        Object value = values[i].eval(r, s);
        if (!out.containsKey(key) && Lookup.mapGet(out, key) != Lookup.ABSENT) {
          for (Object k : out.keySet()) {
            if (Compare.eq(k, key)) {
              key = k;
              break;
            }
          }
        }
        out.put(key, value);
      }
      r.chargeItems(out.size());
      return out;
    }

    private static Expr[] concat(Expr[] a, Expr[] b) {
      Expr[] all = new Expr[a.length + b.length];
      System.arraycopy(a, 0, all, 0, a.length);
      System.arraycopy(b, 0, all, a.length, b.length);
      return all;
    }
  }

  static final class GetAttr extends Expr {
    final Expr object;
    final String name;

    GetAttr(int pos, Expr object, String name) {
      super(pos, object);
      this.object = object;
      this.name = name;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      return Lookup.attribute(r, object.eval(r, s), name);
    }
  }

  /** {@code object[key]}. */
  static final class GetItem extends Infix {
    GetItem(int pos, Expr object, Expr key) {
      super(pos, "[]", object, key);
    }

    @Override
    Object apply(Renderer r, Object object, Object key) {
      return Lookup.item(r, object, key);
    }
  }

  static final class Slice extends Expr {
    final Expr object;
    final Expr start;
    final Expr stop;
    final Expr step;

    Slice(int pos, Expr object, Expr start, Expr stop, Expr step) {
      super(pos, object, start, stop, step);
      this.object = object;
      this.start = start;
      this.stop = stop;
      this.step = step;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      Object o = object.eval(r, s);
      Object result = Lookup.slice(o, evalOrNull(start, r, s), evalOrNull(stop, r, s), evalOrNull(step, r, s));
      if (result instanceof List<?> list) {
        r.chargeItems(list.size());
      } else if (result instanceof String text) {
        r.chargeChars(text.length());
      }
      return result;
    }

    private static Object evalOrNull(Expr e, Renderer r, Scope s) {
      return e == null ? null : e.eval(r, s);
    }
  }

  /** The arguments written in a call: positional ones, then {@code name=value} ones. */
  static final class ArgList {
    static final ArgList EMPTY = new ArgList(new Expr[0], new String[0], new Expr[0]);

    final Expr[] positional;
    final String[] names;
    final Expr[] keywords;

    ArgList(Expr[] positional, String[] names, Expr[] keywords) {
      this.positional = positional;
      this.names = names;
      this.keywords = keywords;
    }

    Expr[] all() {
      Expr[] all = new Expr[positional.length + keywords.length];
      System.arraycopy(positional, 0, all, 0, positional.length);
      System.arraycopy(keywords, 0, all, positional.length, keywords.length);
      return all;
    }

    Args evaluate(Renderer r, Scope s) {
      List<Object> values = new ArrayList<>(positional.length);
      for (Expr e : positional) {
        values.add(e.eval(r, s));
      }
      Map<String, Object> kw = names.length == 0 ? Collections.emptyMap() : new LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        kw.put(names[i], keywords[i].eval(r, s));
      }
      return new Args(values, kw);
    }
  }

  static final class Call extends Expr {
    final Expr callee;
    final ArgList args;

    Call(int pos, Expr callee, ArgList args) {
      super(pos, withFirst(callee, args.all()));
      this.callee = callee;
      this.args = args;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      Object f = callee.eval(r, s);
      Args values = args.evaluate(r, s);
      if (f instanceof Func func) {
        return func.call(r, values);
      } else if (f instanceof Undefined u) {
        throw u.fail();
      }
      throw new EvalError("'" + Types.name(f) + "' object is not callable");
    }
  }

  static final class Filter extends Expr {
    final Expr operand;
    final String name;
    final ArgList args;

    Filter(int pos, Expr operand, String name, ArgList args) {
      super(pos, withFirst(operand, args.all()));
      this.operand = operand;
      this.name = name;
      this.args = args;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      Object value = operand.eval(r, s);
      return Filters.apply(r, name, value, args.evaluate(r, s));
    }
  }

  static final class Test extends Expr {
    final Expr operand;
    final String name;
    final ArgList args;
    final boolean negated;

    Test(int pos, Expr operand, String name, ArgList args, boolean negated) {
      super(pos, withFirst(operand, args.all()));
      this.operand = operand;
      this.name = name;
      this.args = args;
      this.negated = negated;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      Object value = operand.eval(r, s);
      return Tests.apply(name, value, args.evaluate(r, s)) != negated;
    }
  }

  static final class Not extends Expr {
    final Expr operand;

    Not(int pos, Expr operand) {
      super(pos, operand);
      this.operand = operand;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      return !Types.truthy(operand.eval(r, s));
    }
  }

  static final class Negate extends Expr {
    final Expr operand;

    Negate(int pos, Expr operand) {
      super(pos, operand);
      this.operand = operand;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      return Arithmetic.negate(operand.eval(r, s));
    }
  }

  /** An operator between two operands, both always evaluated, left first. */
  abstract static class Infix extends Expr {
    final String op;
    final Expr left;
    final Expr right;

    Infix(int pos, String op, Expr left, Expr right) {
      super(pos, left, right);
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    final Object evaluate(Renderer r, Scope s) {
      Object a = left.eval(r, s);
      return apply(r, a, right.eval(r, s));
    }

    abstract Object apply(Renderer r, Object a, Object b);
  }

  /** {@code a + b}, {@code a - b}, {@code a * b} or {@code a % b}. */
  static final class Binary extends Infix {
    Binary(int pos, String op, Expr left, Expr right) {
      super(pos, op, left, right);
    }

    @Override
    Object apply(Renderer r, Object a, Object b) {
      return Arithmetic.binary(r, op, a, b);
    }
  }

  /** {@code a ~ b ~ c}: the operands' text joined. */
  static final class Concat extends Expr {
    final Expr[] parts;

    Concat(int pos, Expr[] parts) {
      super(pos, parts);
      this.parts = parts;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      StringBuilder sb = new StringBuilder();
      for (Expr part : parts) {
        String text = Repr.str(part.eval(r, s));
        if ((long) sb.length() + text.length() > Limits.MAX_STRING_CHARS) {
          throw new EvalError("joining strings with '~' exceeds the limit of " + Limits.MAX_STRING_CHARS + " chars");
        }
        sb.append(text);
      }
      return r.checkString(sb.toString());
    }
  }

  /**
   * {@code a and b} (the right operand only when the left is truthy) or {@code a or b} (only when
   * it is falsy); either way the result is the last operand evaluated.
   */
  static final class ShortCircuit extends Expr {
    final boolean and;
    final Expr left;
    final Expr right;

    ShortCircuit(int pos, boolean and, Expr left, Expr right) {
      super(pos, left, right);
      this.and = and;
      this.left = left;
      this.right = right;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      Object a = left.eval(r, s);
      return Types.truthy(a) == and ? right.eval(r, s) : a;
    }
  }

  /** One comparison: {@code a == b}, {@code a < b}, {@code x not in items}, ... */
  static final class Comparison extends Infix {
    Comparison(int pos, String op, Expr left, Expr right) {
      super(pos, op, left, right);
    }

    @Override
    Object apply(Renderer r, Object a, Object b) {
      return switch (op) {
        case "==" -> Compare.eq(a, b);
        case "!=" -> !Compare.eq(a, b);
        case "in" -> Iteration.contains(b, a);
        case "not in" -> !Iteration.contains(b, a);
        default -> Compare.ordered(op, a, b);
      };
    }
  }

  /** {@code a if test else b}; without {@code else} the result is undefined when the test fails. */
  static final class Conditional extends Expr {
    final Expr test;
    final Expr then;
    final Expr otherwise;

    Conditional(int pos, Expr test, Expr then, Expr otherwise) {
      super(pos, test, then, otherwise);
      this.test = test;
      this.then = then;
      this.otherwise = otherwise;
    }

    @Override
    Object evaluate(Renderer r, Scope s) {
      if (Types.truthy(test.eval(r, s))) {
        return then.eval(r, s);
      }
      return otherwise != null ? otherwise.eval(r, s)
          : Undefined.because("the inline if-expression evaluated to false and no else section was defined");
    }
  }

  static Expr[] withFirst(Expr first, Expr[] rest) {
    Expr[] all = new Expr[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
