package dev.banter.template;

/**
 * Jinja's undefined value: what a missing variable, attribute or item evaluates to. It prints as
 * nothing, is false, iterates as empty and has length 0; any other use (an attribute, an item, a
 * call, arithmetic) fails with the hint saying what was missing.
 */
final class Undefined {
  final String hint;

  private Undefined(String hint) {
    this.hint = hint;
  }

  static Undefined named(String name) {
    return new Undefined("'" + name + "' is undefined");
  }

  static Undefined attribute(Object owner, String attribute) {
    return new Undefined("'" + Types.name(owner) + " object' has no attribute '" + attribute + "'");
  }

  static Undefined item(Object owner, Object key) {
    return new Undefined("'" + Types.name(owner) + " object' has no element " + Repr.repr(key));
  }

  static Undefined because(String hint) {
    return new Undefined(hint);
  }

  EvalError fail() {
    return new EvalError(hint);
  }

  @Override
  public String toString() {
    return "";
  }
}
