package dev.banter.local.gguf;

import dev.banter.api.ModelLoadException;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Sequential little-endian reads from a file through a small window, each bounded by the bytes
 * left in the file, so a hostile count or length fails with the offset instead of allocating.
 */
final class GgufReader {
  private static final int WINDOW = 1 << 16;
  private static final byte[] EMPTY = new byte[0];

  private final FileChannel channel;
  private final long fileSize;
  private final String file;
  private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
  private long windowStart;

  GgufReader(FileChannel channel, long fileSize, String file) {
    this.channel = channel;
    this.fileSize = fileSize;
    this.file = file;
    ((Buffer) window).limit(0);
  }

  long position() {
    return windowStart + window.position();
  }

  long remaining() {
    return fileSize - position();
  }

  String file() {
    return file;
  }

  ModelLoadException fail(long offset, String what) {
    return new ModelLoadException(file + " @" + offset + ": " + what, file, offset);
  }

  ModelLoadException failHere(String what) {
    return fail(position(), what);
  }

  private void ensure(int n) {
    if (window.remaining() >= n) {
      return;
    }
    if (remaining() < n) {
      throw failHere("unexpected end of file: " + n + " more bytes needed but only " + remaining()
          + " remain; the file is truncated, download or convert it again");
    }
    windowStart += window.position();
    window.compact();
    try {
      while (window.position() < n) {
        int read = channel.read(window, windowStart + window.position());
        if (read < 0) {
          throw failHere("unexpected end of file while reading " + n + " bytes");
        }
      }
    } catch (IOException e) {
      throw new ModelLoadException(file + " @" + position() + ": read failed: " + e.getMessage(), file,
          position(), e);
    }
    ((Buffer) window).flip();
  }

  int u8() {
    ensure(1);
    return window.get() & 0xFF;
  }

  short i16() {
    ensure(2);
    return window.getShort();
  }

  int i32() {
    ensure(4);
    return window.getInt();
  }

  long u32() {
    return i32() & 0xFFFF_FFFFL;
  }

  long i64() {
    ensure(8);
    return window.getLong();
  }

  /** Reads {@code n} bytes; {@code n} must already be checked against {@link #remaining()}. */
  byte[] bytes(int n) {
    byte[] out = new byte[n];
    int done = 0;
    while (done < n) {
      if (!window.hasRemaining()) {
        ensure(Math.min(WINDOW, n - done));
      }
      int k = Math.min(window.remaining(), n - done);
      window.get(out, done, k);
      done += k;
    }
    return out;
  }

  /** A GGUF string: a uint64 length, then that many bytes. */
  byte[] string(String what) {
    long at = position();
    long len = i64();
    if (len < 0 || len > remaining()) {
      throw fail(at, what + " has length " + Long.toUnsignedString(len) + " but only " + remaining()
          + " bytes remain in the file; the file is corrupt or truncated");
    }
    if (len > Integer.MAX_VALUE - 8) {
      throw fail(at, what + " has length " + len + ", above the 2 GiB limit for one string");
    }
    return len == 0 ? EMPTY : bytes((int) len);
  }

  void skipTo(long offset) {
    if (offset < position() || offset > fileSize) {
      throw failHere("cannot move to offset " + offset);
    }
    long delta = offset - position();
    if (delta <= window.remaining()) {
      ((Buffer) window).position(window.position() + (int) delta);
    } else {
      windowStart = offset;
      ((Buffer) window).clear();
      ((Buffer) window).limit(0);
    }
  }
}
