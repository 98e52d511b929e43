package dev.banter.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A statement of the template language: text, {@code {{ output }}} or a {@code {% tag %}}.
 * Executing one appends to an output buffer and returns how control continues: normally, or by a
 * {@code break} or {@code continue} that the enclosing loop handles.
 */
abstract class Stmt {
  static final int NORMAL = 0;
  static final int BREAK = 1;
  static final int CONTINUE = 2;

  final int pos;

  Stmt(int pos) {
    this.pos = pos;
  }

  abstract int execute(Renderer r, Scope s, StringBuilder out);

  /** Runs statements in order, stopping at a {@code break} or {@code continue}. */
  static int run(Stmt[] body, Renderer r, Scope s, StringBuilder out) {
    for (Stmt stmt : body) {
      int signal;
      try {
        r.step();
        signal = stmt.execute(r, s, out);
      } catch (EvalError e) {
        throw r.error(stmt.pos, e);
      }
      if (signal != NORMAL) {
        return signal;
      }
    }
    return NORMAL;
  }

  static final class Text extends Stmt {
    final String text;

    Text(int pos, String text) {
      super(pos);
      this.text = text;
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      r.emit(out, text);
      return NORMAL;
    }
  }

  static final class Output extends Stmt {
    final Expr expr;

    Output(int pos, Expr expr) {
      super(pos);
      this.expr = expr;
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      r.emit(out, Py.str(expr.eval(r, s)));
      return NORMAL;
    }
  }

  static final class If extends Stmt {
    final Expr[] tests;
    final Stmt[][] bodies;
    final Stmt[] otherwise;

    If(int pos, Expr[] tests, Stmt[][] bodies, Stmt[] otherwise) {
      super(pos);
      this.tests = tests;
      this.bodies = bodies;
      this.otherwise = otherwise;
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      for (int i = 0; i < tests.length; i++) {
        if (Py.truthy(tests[i].eval(r, s))) {
          return run(bodies[i], r, s, out);
        }
      }
      return run(otherwise, r, s, out);
    }
  }

  static final class For extends Stmt {
    final Target target;
    final Expr iterable;
    final Expr filter;
    final Stmt[] body;
    final Stmt[] otherwise;
    final boolean recursive;

    For(int pos, Target target, Expr iterable, Expr filter, Stmt[] body, Stmt[] otherwise, boolean recursive) {
      super(pos);
      this.target = target;
      this.iterable = iterable;
      this.filter = filter;
      this.body = body;
      this.otherwise = otherwise;
      this.recursive = recursive;
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      return loop(r, s, out, iterable.eval(r, s), 0);
    }

    private int loop(Renderer r, Scope s, StringBuilder out, Object source, int depth0) {
      List<Object> items = new ArrayList<>(Py.iterate(source));
      if (filter != null) {
        List<Object> kept = new ArrayList<>();
        for (Object item : items) {
          r.step();
          Scope scope = new Scope(s);
          target.assign(r, scope, item);
          if (Py.truthy(filter.eval(r, scope))) {
            kept.add(item);
          }
        }
        items = kept;
      }
      if (items.isEmpty()) {
        return run(otherwise, r, s, out);
      }
      LoopContext.Recursion recursion = null;
      if (recursive) {
        recursion = (renderer, children, depth) -> {
          renderer.enterCall("loop");
          try {
            StringBuilder nested = new StringBuilder();
            loop(renderer, s, nested, children, depth);
            return nested.toString();
          } finally {
            renderer.exitCall();
          }
        };
      }
      LoopContext loop = new LoopContext(items, depth0, recursion);
      for (int i = 0; i < items.size(); i++) {
        r.step();
        loop.index0 = i;
        Scope scope = new Scope(s);
        scope.set("loop", loop);
        target.assign(r, scope, items.get(i));
        if (run(body, r, scope, out) == BREAK) {
          break;
        }
      }
      return NORMAL;
    }
  }

  static final class Set extends Stmt {
    final Target target;
    final Expr value;

    Set(int pos, Target target, Expr value) {
      super(pos);
      this.target = target;
      this.value = value;
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      target.assign(r, s, value.eval(r, s));
      return NORMAL;
    }
  }

  /** {@code {% set x %}...{% endset %}}, optionally {@code {% set x | filter %}}. */
  static final class SetBlock extends Stmt {
    final Target target;
    final Stmt[] body;
    final FilterChain filters;

    SetBlock(int pos, Target target, Stmt[] body, FilterChain filters) {
      super(pos);
      this.target = target;
      this.body = body;
      this.filters = filters;
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      StringBuilder captured = new StringBuilder();
      run(body, r, s, captured);
      Object value = captured.toString();
      if (filters != null) {
        value = filters.apply(r, s, value);
      }
      target.assign(r, s, value);
      return NORMAL;
    }
  }

  static final class FilterBlock extends Stmt {
    final FilterChain filters;
    final Stmt[] body;

    FilterBlock(int pos, FilterChain filters, Stmt[] body) {
      super(pos);
      this.filters = filters;
      this.body = body;
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      StringBuilder captured = new StringBuilder();
      run(body, r, s, captured);
      r.emit(out, Py.str(filters.apply(r, s, captured.toString())));
      return NORMAL;
    }
  }

  static final class With extends Stmt {
    final Target[] targets;
    final Expr[] values;
    final Stmt[] body;

    With(int pos, Target[] targets, Expr[] values, Stmt[] body) {
      super(pos);
      this.targets = targets;
      this.values = values;
      this.body = body;
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      Scope scope = new Scope(s);
      for (int i = 0; i < targets.length; i++) {
        targets[i].assign(r, scope, values[i].eval(r, s));
      }
      return run(body, r, scope, out);
    }
  }

  static final class Macro extends Stmt {
    final String name;
    final String[] parameters;
    final Expr[] defaults;
    final Stmt[] body;

    Macro(int pos, String name, String[] parameters, Expr[] defaults, Stmt[] body) {
      super(pos);
      this.name = name;
      this.parameters = parameters;
      this.defaults = defaults;
      this.body = body;
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      s.set(name, new MacroFunc(name, parameters, defaults, body, s));
      return NORMAL;
    }
  }

  /** {@code {% call(args) macro(...) %}body{% endcall %}}: the body is the macro's {@code caller()}. */
  static final class CallBlock extends Stmt {
    final Expr.Call call;
    final String[] parameters;
    final Expr[] defaults;
    final Stmt[] body;

    CallBlock(int pos, Expr.Call call, String[] parameters, Expr[] defaults, Stmt[] body) {
      super(pos);
      this.call = call;
      this.parameters = parameters;
      this.defaults = defaults;
      this.body = body;
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      Object callee = call.callee.eval(r, s);
      Args args = call.args.evaluate(r, s);
      Map<String, Object> keywords = new java.util.LinkedHashMap<>(args.keywords);
      keywords.put("caller", new MacroFunc("caller", parameters, defaults, body, s));
      r.emit(out, Py.str(Expr.Call.call(r, callee, new Args(args.positional, keywords))));
      return NORMAL;
    }
  }

  static final class Break extends Stmt {
    Break(int pos) {
      super(pos);
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      return BREAK;
    }
  }

  static final class Continue extends Stmt {
    Continue(int pos) {
      super(pos);
    }

    @Override
    int execute(Renderer r, Scope s, StringBuilder out) {
      return CONTINUE;
    }
  }

  /** Filters applied one after another, as in {@code {% filter trim | upper %}}. */
  static final class FilterChain {
    final int[] positions;
    final String[] names;
    final Expr.ArgList[] args;

    FilterChain(int[] positions, String[] names, Expr.ArgList[] args) {
      this.positions = positions;
      this.names = names;
      this.args = args;
    }

    Object apply(Renderer r, Scope s, Object value) {
      for (int i = 0; i < names.length; i++) {
        Args values = args[i].evaluate(r, s);
        try {
          value = Filters.apply(r, names[i], value, values);
        } catch (EvalError e) {
          throw r.error(positions[i], e);
        }
      }
      return value;
    }
  }

  /** What {@code set}, {@code for} and {@code with} assign to. */
  abstract static class Target {
    abstract void assign(Renderer r, Scope s, Object value);
  }

  static final class NameTarget extends Target {
    final String name;

    NameTarget(String name) {
      this.name = name;
    }

    @Override
    void assign(Renderer r, Scope s, Object value) {
      s.set(name, value);
    }
  }

  static final class TupleTarget extends Target {
    final Target[] items;

    TupleTarget(Target[] items) {
      this.items = items;
    }

    @Override
    void assign(Renderer r, Scope s, Object value) {
      List<Object> values = Py.iterate(value);
      if (values.size() != items.length) {
        throw new EvalError(values.size() > items.length
            ? "too many values to unpack (expected " + items.length + ")"
            : "not enough values to unpack (expected " + items.length + ", got " + values.size() + ")");
      }
      for (int i = 0; i < items.length; i++) {
        items[i].assign(r, s, values.get(i));
      }
    }
  }

  /** {@code ns.attribute}, allowed only on a {@code namespace()} object, as in Jinja. */
  static final class AttributeTarget extends Target {
    final String variable;
    final String attribute;

    AttributeTarget(String variable, String attribute) {
      this.variable = variable;
      this.attribute = attribute;
    }

    @Override
    void assign(Renderer r, Scope s, Object value) {
      Object owner = s.lookup(variable);
      if (!(owner instanceof Namespace)) {
        throw new EvalError(owner == Py.ABSENT ? "'" + variable + "' is undefined"
            : "cannot assign attribute on non-namespace object ('" + variable + "' is a "
                + Py.typeName(owner) + ")");
      }
      ((Namespace) owner).attributes.put(attribute, value);
    }
  }
}
