package dev.banter.template;

/** Something a template can call: a global function, a bound method or a macro. */
interface Func {
  Object call(Renderer renderer, Args args);

  /** The name used in messages, for example {@code range} or {@code str.split}. */
  String name();
}
