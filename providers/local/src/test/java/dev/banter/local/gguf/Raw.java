package dev.banter.local.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds GGUF bytes by hand, for files the writer refuses to produce. */
final class Raw {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static Raw header(int version, long tensors, long kvs) {
    return new Raw().bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version).u64(tensors).u64(kvs);
  }

  Raw bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  Raw u8(int v) {
    out.write(v);
    return this;
  }

  Raw u32(long v) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (v >>> (8 * i)));
    }
    return this;
  }

  Raw u64(long v) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)));
    }
    return this;
  }

  Raw str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return u64(b.length).bytes(b);
  }

  /** A key with a UINT32 value. */
  Raw kvU32(String key, long v) {
    return str(key).u32(GgufType.UINT32.id()).u32(v);
  }

  /** A tensor info. */
  Raw tensor(String name, int type, long offset, long... dims) {
    str(name).u32(dims.length);
    for (long d : dims) {
      u64(d);
    }
    return u32(type).u64(offset);
  }

  /** Zero bytes up to a multiple of {@code alignment}. */
  Raw pad(int alignment) {
    while (out.size() % alignment != 0) {
      out.write(0);
    }
    return this;
  }

  Raw zeros(int n) {
    for (int i = 0; i < n; i++) {
      out.write(0);
    }
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] build() {
    return out.toByteArray();
  }
}
