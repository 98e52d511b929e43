package dev.banter.template;

import java.util.List;

/**
 * The {@code loop} variable inside a {@code for} block: {@code index}, {@code index0},
 * {@code first}, {@code last}, {@code previtem} and {@code nextitem}. Jinja's other loop attributes
 * fail, naming the attribute.
 */
final class LoopContext {
  private final List<Object> items;
  int index0;

  LoopContext(List<Object> items) {
    this.items = items;
  }

  Object attribute(String name) {
    return switch (name) {
      case "index" -> (long) index0 + 1;
      case "index0" -> (long) index0;
      case "first" -> index0 == 0;
      case "last" -> index0 == items.size() - 1;
      case "previtem" -> index0 > 0 ? items.get(index0 - 1) : Undefined.because("there is no previous item");
      case "nextitem" -> index0 < items.size() - 1 ? items.get(index0 + 1) : Undefined.because("there is no next item");
      default -> throw new EvalError("loop." + name + " is not supported; the loop variable has index, index0, first,"
          + " last, previtem and nextitem");
    };
  }

  @Override
  public String toString() {
    return "<LoopContext " + (index0 + 1) + "/" + items.size() + ">";
  }
}
