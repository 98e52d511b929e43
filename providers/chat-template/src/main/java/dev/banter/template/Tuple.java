package dev.banter.template;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** A Python tuple: an immutable sequence that prints as {@code (a, b)}. */
final class Tuple extends AbstractList<Object> implements RandomAccess {
  private final Object[] items;

  Tuple(Object... items) {
    this.items = items;
  }

  static Tuple of(List<?> items) {
    return new Tuple(items.toArray());
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }
}
