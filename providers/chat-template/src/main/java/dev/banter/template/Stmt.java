package dev.banter.template;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement of the template language: text, {@code {{ output }}} or a {@code {% tag %}}.
 * Executing one appends to an output buffer and says whether a {@code {% break %}} ended it, which
 * the enclosing loop handles.
 */
abstract class Stmt {
  final int pos;

  Stmt(int pos) {
    this.pos = pos;
  }

  /** Runs the statement; true when a {@code break} stopped it. */
  abstract boolean execute(Renderer r, Scope s, StringBuilder out);

  /** Runs statements in order, stopping at a {@code break}; true when one did. */
  static boolean run(Stmt[] body, Renderer r, Scope s, StringBuilder out) {
    for (Stmt stmt : body) {
      boolean broke;
      try {
        r.step();
        broke = stmt.execute(r, s, out);
      } catch (EvalError e) {
        throw r.error(stmt.pos, e);
      }
      if (broke) {
        return true;
      }
    }
    return false;
  }

  static final class Text extends Stmt {
    final String text;

    Text(int pos, String text) {
      super(pos);
      this.text = text;
    }

    @Override
    boolean execute(Renderer r, Scope s, StringBuilder out) {
      r.emit(out, text);
      return false;
    }
  }

  static final class Output extends Stmt {
    final Expr expr;

    Output(int pos, Expr expr) {
      super(pos);
      this.expr = expr;
    }

    @Override
    boolean execute(Renderer r, Scope s, StringBuilder out) {
      r.emit(out, Repr.str(expr.eval(r, s)));
      return false;
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
    boolean execute(Renderer r, Scope s, StringBuilder out) {
      for (int i = 0; i < tests.length; i++) {
        if (Types.truthy(tests[i].eval(r, s))) {
          return run(bodies[i], r, s, out);
        }
      }
      return run(otherwise, r, s, out);
    }
  }

  /** {@code {% for target in iterable if filter %}body{% endfor %}}. */
  static final class For extends Stmt {
    final Target target;
    final Expr iterable;
    final Expr filter;
    final Stmt[] body;

    For(int pos, Target target, Expr iterable, Expr filter, Stmt[] body) {
      super(pos);
      this.target = target;
      this.iterable = iterable;
      this.filter = filter;
      this.body = body;
    }

    @Override
    boolean execute(Renderer r, Scope s, StringBuilder out) {
      List<Object> items = new ArrayList<>(Iteration.items(iterable.eval(r, s)));
      if (filter != null) {
        List<Object> kept = new ArrayList<>();
        for (Object item : items) {
          r.step();
          Scope scope = new Scope(s);
          target.assign(scope, item);
          if (Types.truthy(filter.eval(r, scope))) {
            kept.add(item);
          }
        }
        items = kept;
      }
      LoopContext loop = new LoopContext(items);
      for (int i = 0; i < items.size(); i++) {
        r.step();
        loop.index0 = i;
        Scope scope = new Scope(s);
        scope.set("loop", loop);
        target.assign(scope, items.get(i));
        if (run(body, r, scope, out)) {
          break;
        }
      }
      return false;
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
    boolean execute(Renderer r, Scope s, StringBuilder out) {
      target.assign(s, value.eval(r, s));
      return false;
    }
  }

  /** {@code {% set x %}...{% endset %}}: the rendered body becomes the value. */
  static final class SetBlock extends Stmt {
    final Target target;
    final Stmt[] body;

    SetBlock(int pos, Target target, Stmt[] body) {
      super(pos);
      this.target = target;
      this.body = body;
    }

    @Override
    boolean execute(Renderer r, Scope s, StringBuilder out) {
      StringBuilder captured = new StringBuilder();
      run(body, r, s, captured);
      target.assign(s, captured.toString());
      return false;
    }
  }

  /** {@code {% filter trim | upper %}...{% endfilter %}}: the rendered body, filtered in turn. */
  static final class FilterBlock extends Stmt {
    final int[] positions;
    final String[] names;
    final Expr.ArgList[] args;
    final Stmt[] body;

    FilterBlock(int pos, int[] positions, String[] names, Expr.ArgList[] args, Stmt[] body) {
      super(pos);
      this.positions = positions;
      this.names = names;
      this.args = args;
      this.body = body;
    }

    @Override
    boolean execute(Renderer r, Scope s, StringBuilder out) {
      StringBuilder captured = new StringBuilder();
      run(body, r, s, captured);
      Object value = captured.toString();
      for (int i = 0; i < names.length; i++) {
        Args values = args[i].evaluate(r, s);
        try {
          value = Filters.apply(r, names[i], value, values);
        } catch (EvalError e) {
          throw r.error(positions[i], e);
        }
      }
      r.emit(out, Repr.str(value));
      return false;
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
    boolean execute(Renderer r, Scope s, StringBuilder out) {
      s.set(name, new MacroFunc(name, parameters, defaults, body, s));
      return false;
    }
  }

  static final class Break extends Stmt {
    Break(int pos) {
      super(pos);
    }

    @Override
    boolean execute(Renderer r, Scope s, StringBuilder out) {
      return true;
    }
  }

  /** What {@code set} and {@code for} assign to. */
  sealed interface Target permits NameTarget, TupleTarget, AttributeTarget {
    void assign(Scope s, Object value);
  }

  record NameTarget(String name) implements Target {
    @Override
    public void assign(Scope s, Object value) {
      s.set(name, value);
    }
  }

  /** {@code a, b}: unpacks a sequence of exactly as many items. */
  record TupleTarget(Target[] items) implements Target {
    @Override
    public void assign(Scope s, Object value) {
      List<Object> values = Iteration.items(value);
      if (values.size() != items.length) {
        throw new EvalError(values.size() > items.length
            ? "too many values to unpack (expected " + items.length + ")"
            : "not enough values to unpack (expected " + items.length + ", got " + values.size() + ")");
      }
      for (int i = 0; i < items.length; i++) {
        items[i].assign(s, values.get(i));
      }
    }
  }

  /** {@code ns.attribute}, allowed only on a {@code namespace()} object, as in Jinja. */
  record AttributeTarget(String variable, String attribute) implements Target {
    @Override
    public void assign(Scope s, Object value) {
      Object owner = s.lookup(variable);
      if (!(owner instanceof Namespace ns)) {
        throw new EvalError(owner == Lookup.ABSENT ? "'" + variable + "' is undefined"
            : "cannot assign attribute on non-namespace object ('" + variable + "' is a " + Types.name(owner) + ")");
      }
      ns.attributes.put(attribute, value);
    }
  }
}
