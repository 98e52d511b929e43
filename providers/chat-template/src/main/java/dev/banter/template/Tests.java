package dev.banter.template;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jinja's tests, the names after {@code is}: {@code defined}, {@code string}, {@code divisibleby(3)}, ... */
final class Tests {
  static final Set<String> NAMES = new HashSet<>(Arrays.asList(
      "boolean", "callable", "defined", "divisibleby", "eq", "equalto", "escaped", "even", "false",
      "filter", "float", "ge", "greaterthan", "gt", "in", "integer", "iterable", "le", "lessthan",
      "lower", "lt", "mapping", "ne", "none", "number", "odd", "sameas", "sequence", "string", "test",
      "true", "undefined", "upper", "==", "!=", "<", "<=", ">", ">="));

  private Tests() {}

  static boolean apply(Renderer r, String name, Object value, Args args) {
    Object[] a;
    switch (name) {
      case "defined":
        args.bind("defined");
        return !(value instanceof Undefined);
      case "undefined":
        args.bind("undefined");
        return value instanceof Undefined;
      case "none":
        args.bind("none");
        return value == null;
      case "boolean":
        args.bind("boolean");
        return value instanceof Boolean;
      case "true":
        args.bind("true");
        return Boolean.TRUE.equals(value);
      case "false":
        args.bind("false");
        return Boolean.FALSE.equals(value);
      case "integer":
        args.bind("integer");
        return Py.isInt(value);
      case "float":
        args.bind("float");
        return value instanceof Double;
      case "number":
        args.bind("number");
        return Py.isNumber(value);
      case "string":
        args.bind("string");
        return value instanceof String;
      case "mapping":
        args.bind("mapping");
        return value instanceof Map;
      case "iterable":
        args.bind("iterable");
        return Py.isIterable(value);
      case "sequence":
        args.bind("sequence");
        return value instanceof List || value instanceof Map || value instanceof String
            || value instanceof Undefined;
      case "callable":
        args.bind("callable");
        return value instanceof Func || value instanceof Undefined;
      case "escaped":
        args.bind("escaped");
        return false;
      case "odd":
      case "even": {
        args.bind(name);
        Object remainder = Py.arithmetic("%", number(value, name), 2L);
        return Py.numberCompare(remainder, name.equals("odd") ? 1L : 0L) == 0;
      }
      case "divisibleby": {
        a = args.bindRequired("divisibleby", 1, "num");
        return Py.numberCompare(Py.arithmetic("%", number(value, name), number(a[0], name)), 0L) == 0;
      }
      case "lower":
        args.bind("lower");
        return Text.isCase(Py.str(value), false);
      case "upper":
        args.bind("upper");
        return Text.isCase(Py.str(value), true);
      case "eq":
      case "equalto":
      case "==":
        a = args.bindRequired(name, 1, "other");
        return Py.eq(value, a[0]);
      case "ne":
      case "!=":
        a = args.bindRequired(name, 1, "other");
        return !Py.eq(value, a[0]);
      case "lt":
      case "lessthan":
      case "<":
        a = args.bindRequired(name, 1, "other");
        return ordered(value, a[0], "<");
      case "le":
      case "<=":
        a = args.bindRequired(name, 1, "other");
        return ordered(value, a[0], "<=");
      case "gt":
      case "greaterthan":
      case ">":
        a = args.bindRequired(name, 1, "other");
        return ordered(value, a[0], ">");
      case "ge":
      case ">=":
        a = args.bindRequired(name, 1, "other");
        return ordered(value, a[0], ">=");
      case "in":
        a = args.bindRequired("in", 1, "seq");
        return Py.contains(a[0], value);
      case "sameas":
        a = args.bindRequired("sameas", 1, "other");
        return value == a[0] || (value instanceof Boolean && value.equals(a[0]));
      case "filter":
        a = args.bindRequired("filter", 0, "name");
        return Filters.NAMES.contains(Py.str(a[0]));
      case "test":
        a = args.bindRequired("test", 0, "name");
        return NAMES.contains(Py.str(a[0]));
      default:
        throw new EvalError("no test named '" + name + "'");
    }
  }

  /** {@code a op b} for an ordering operator, false when either is NaN. */
  static boolean ordered(Object a, Object b, String op) {
    if (Py.isNumber(a) && Py.isNumber(b)) {
      int c = Py.numberCompare(a, b);
      if (c == Integer.MIN_VALUE) {
        return false;
      }
      return holds(c, op);
    }
    return holds(Py.compare(a, b, op), op);
  }

  private static boolean holds(int c, String op) {
    switch (op) {
      case "<":
        return c < 0;
      case "<=":
        return c <= 0;
      case ">":
        return c > 0;
      default:
        return c >= 0;
    }
  }

  private static Object number(Object v, String test) {
    if (v instanceof Undefined) {
      throw ((Undefined) v).fail();
    }
    if (!Py.isNumber(v)) {
      throw new EvalError("the '" + test + "' test needs a number, not '" + Py.typeName(v) + "'");
    }
    return v;
  }
}
