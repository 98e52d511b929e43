package dev.banter.template;

import java.util.List;

/**
 * The {@code loop} variable inside a {@code for} block: position ({@code index}, {@code first},
 * {@code last}, ...), neighbours ({@code previtem}, {@code nextitem}), {@code cycle(...)},
 * {@code changed(...)} and, in a {@code recursive} loop, {@code loop(children)}.
 */
final class LoopContext implements Func {
  /** Renders a recursive loop's body again for other items. */
  interface Recursion {
    String run(Renderer renderer, Object items, int depth0);
  }

  private final List<Object> items;
  private final int depth0;
  private final Recursion recursion;
  int index0;
  private Object lastChanged = Args.MISSING;

  LoopContext(List<Object> items, int depth0, Recursion recursion) {
    this.items = items;
    this.depth0 = depth0;
    this.recursion = recursion;
  }

  Object attribute(String name) {
    int length = items.size();
    switch (name) {
      case "index":
        return (long) index0 + 1;
      case "index0":
        return (long) index0;
      case "revindex":
        return (long) (length - index0);
      case "revindex0":
        return (long) (length - index0 - 1);
      case "first":
        return index0 == 0;
      case "last":
        return index0 == length - 1;
      case "length":
        return (long) length;
      case "depth":
        return (long) depth0 + 1;
      case "depth0":
        return (long) depth0;
      case "previtem":
        return index0 > 0 ? items.get(index0 - 1) : Undefined.because("there is no previous item");
      case "nextitem":
        return index0 < length - 1 ? items.get(index0 + 1) : Undefined.because("there is no next item");
      case "cycle":
        return new Func() {
          @Override
          public Object call(Renderer renderer, Args args) {
            if (args.positional.isEmpty()) {
              throw new EvalError("loop.cycle() needs at least one value");
            }
            return args.positional.get(index0 % args.positional.size());
          }

          @Override
          public String name() {
            return "loop.cycle";
          }
        };
      case "changed":
        return new Func() {
          @Override
          public Object call(Renderer renderer, Args args) {
            Object current = new Tuple(args.positional.toArray());
            if (lastChanged != Args.MISSING && Py.eq(lastChanged, current)) {
              return false;
            }
            lastChanged = current;
            return true;
          }

          @Override
          public String name() {
            return "loop.changed";
          }
        };
      default:
        return Undefined.attribute(this, name);
    }
  }

  @Override
  public Object call(Renderer renderer, Args args) {
    if (recursion == null) {
      throw new EvalError("loop() can only be called in a loop marked 'recursive'");
    }
    if (args.positional.size() != 1 || !args.keywords.isEmpty()) {
      throw new EvalError("loop() takes exactly one argument: the items to loop over");
    }
    return recursion.run(renderer, args.positional.get(0), depth0 + 1);
  }

  @Override
  public String name() {
    return "loop";
  }

  @Override
  public String toString() {
    return "<LoopContext " + (index0 + 1) + "/" + items.size() + ">";
  }
}
