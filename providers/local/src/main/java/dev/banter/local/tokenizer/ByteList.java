package dev.banter.local.tokenizer;

import java.util.Arrays;

/** A growable byte array. */
final class ByteList {
  private byte[] a;
  private int n;

  ByteList(int capacity) {
    a = new byte[Math.max(capacity, 16)];
  }

  void add(int b) {
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    a[n++] = (byte) b;
  }

  void add(byte[] b) {
    add(b, 0, b.length);
  }

  void add(byte[] b, int from, int len) {
    if (n + len > a.length) {
      a = Arrays.copyOf(a, Math.max(a.length * 2, n + len));
    }
    System.arraycopy(b, from, a, n, len);
    n += len;
  }

  int size() {
    return n;
  }

  byte get(int i) {
    return a[i];
  }

  /** The backing array; valid up to {@link #size()}. */
  byte[] array() {
    return a;
  }

  void clear() {
    n = 0;
  }

  /** Drops the first {@code k} bytes. */
  void removeFirst(int k) {
    System.arraycopy(a, k, a, 0, n - k);
    n -= k;
  }

  byte[] toArray() {
    return Arrays.copyOf(a, n);
  }
}
