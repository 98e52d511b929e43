package dev.banter.template;

import java.util.Arrays;
import java.util.Map;

/**
 * A macro defined with {@code {% macro name(a, b=1) %}}, called like a function. Arguments bind by
 * position or name; a missing one without a default is undefined. The macro sees the variables of
 * the scope it was defined in.
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
    if (args.positional.size() > parameters.length) {
      throw new EvalError("macro '" + name + "' takes " + parameters.length + " argument"
          + (parameters.length == 1 ? "" : "s") + " but got " + args.positional.size()
          + " (extra arguments as varargs are not supported)");
    }
    for (String keyword : args.keywords.keySet()) {
      if (!Arrays.asList(parameters).contains(keyword)) {
        throw new EvalError("macro '" + name + "' has no parameter '" + keyword
            + "' (extra keyword arguments as kwargs are not supported)");
      }
    }
    r.enterCall(name);
    try {
      Scope scope = new Scope(closure);
      Map<String, Object> keywords = args.keywords;
      for (int i = 0; i < parameters.length; i++) {
        String parameter = parameters[i];
        if (i < args.positional.size()) {
          if (keywords.containsKey(parameter)) {
            throw new EvalError("macro '" + name + "' got multiple values for argument '" + parameter + "'");
          }
          scope.set(parameter, args.positional.get(i));
        } else if (keywords.containsKey(parameter)) {
          scope.set(parameter, keywords.get(parameter));
        } else if (defaults[i] != null) {
          scope.set(parameter, defaults[i].eval(r, scope));
        } else {
          scope.set(parameter, Undefined.because("parameter '" + parameter + "' was not provided"));
        }
      }
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
