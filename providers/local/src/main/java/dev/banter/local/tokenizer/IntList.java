package dev.banter.local.tokenizer;

import java.util.Arrays;

/** A growable int array. */
final class IntList {
  private int[] a;
  private int n;

  IntList(int capacity) {
    a = new int[Math.max(capacity, 8)];
  }

  void add(int v) {
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    a[n++] = v;
  }

  int size() {
    return n;
  }

  int get(int i) {
    return a[i];
  }

  int[] toArray() {
    return Arrays.copyOf(a, n);
  }
}
