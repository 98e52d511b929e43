package dev.banter.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A macro defined with {@code {% macro name(a, b=1) %}}, called like a function. Arguments bind by
 * position or name; a missing one without a default is undefined; extra positional arguments are
 * {@code varargs}, extra keyword arguments {@code kwargs}; a {@code call} block's body is
 * {@code caller}. The macro sees the variables of the scope it was defined in.
 */
final class MacroFunc implements Func {
  private final String name;
  private final String[] parameters;
  private final Expr[] defaults;
  private final Stmt[] body;
  private final Scope closure;

  MacroFunc(String name, String[] parameters, Expr[] defaults, Stmt[] body, Scope closure) {
    this.name = name;
    this.parameters = parameters;
    this.defaults = defaults;
    this.body = body;
    this.closure = closure;
  }

  @Override
  public Object call(Renderer r, Args args) {
    r.enterCall(name);
    try {
      Scope scope = new Scope(closure);
      Map<String, Object> keywords = new LinkedHashMap<>(args.keywords);
      Object caller = keywords.remove("caller");
      if (caller != null) {
        scope.set("caller", caller);
      }
      for (int i = 0; i < parameters.length; i++) {
        String parameter = parameters[i];
        if (i < args.positional.size()) {
          if (keywords.containsKey(parameter)) {
            throw new EvalError("macro '" + name + "' got multiple values for argument '" + parameter + "'");
          }
          scope.set(parameter, args.positional.get(i));
        } else if (keywords.containsKey(parameter)) {
          scope.set(parameter, keywords.remove(parameter));
        } else if (defaults[i] != null) {
          scope.set(parameter, defaults[i].eval(r, scope));
        } else {
          scope.set(parameter, Undefined.because("parameter '" + parameter + "' was not provided"));
        }
      }
      List<Object> extra = new ArrayList<>();
      for (int i = parameters.length; i < args.positional.size(); i++) {
        extra.add(args.positional.get(i));
      }
      scope.set("varargs", Tuple.of(extra));
      scope.set("kwargs", new LinkedHashMap<Object, Object>(keywords));
      StringBuilder out = new StringBuilder();
      Stmt.run(body, r, scope, out);
      return out.toString();
    } finally {
      r.exitCall();
    }
  }

  @Override
  public String name() {
    return name;
  }
}
