package dev.banter.template;

/** Something a template can call: a global function, a bound method, a macro, {@code loop}. */
interface Func {
  Object call(Renderer renderer, Args args);

  /** The name used in messages, for example {@code range} or {@code str.split}. */
  String name();
}
