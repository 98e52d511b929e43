package dev.banter.local.tokenizer;

/**
 * UTF-8 helpers with two deliberate behaviours: the lenient code point reader llama.cpp's
 * tokenizers use (each byte that does not start a sequence becomes U+FFFD, continuation bytes are
 * not checked), and a strict decoder to Java text that replaces each maximal ill-formed subpart
 * with one U+FFFD, so decoding in pieces at sequence boundaries equals decoding all at once.
 */
final class Utf8 {
  static final int REPLACEMENT = 0xFFFD;

  private Utf8() {}

  /** The sequence length announced by a lead byte, by its high nibble (continuation bytes count 1). */
  static int sequenceLength(byte lead) {
    int hi = (lead & 0xFF) >>> 4;
    return hi < 12 ? 1 : hi < 14 ? 2 : hi == 14 ? 3 : 4;
  }

  /** Code points of {@code b[from, to)} read the lenient way; appends to {@code out}, returns the count. */
  static int[] codepoints(byte[] b, int from, int to) {
    int[] out = new int[to - from];
    int n = 0;
    int i = from;
    while (i < to) {
      int c = b[i] & 0xFF;
      if ((c & 0x80) == 0) {
        out[n++] = c;
        i += 1;
      } else if ((c & 0x40) == 0) {
        out[n++] = REPLACEMENT;
        i += 1;
      } else if ((c & 0x20) == 0) {
        if (i + 1 >= to || !cont(b[i + 1])) {
          out[n++] = REPLACEMENT;
          i += 1;
        } else {
          out[n++] = ((c & 0x1F) << 6) | (b[i + 1] & 0x3F);
          i += 2;
        }
      } else if ((c & 0x10) == 0) {
        if (i + 2 >= to || !cont(b[i + 1]) || !cont(b[i + 2])) {
          out[n++] = REPLACEMENT;
          i += 1;
        } else {
          out[n++] = ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
          i += 3;
        }
      } else if ((c & 0x08) == 0) {
        if (i + 3 >= to || !cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) {
          out[n++] = REPLACEMENT;
          i += 1;
        } else {
          out[n++] = ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
          i += 4;
        }
      } else {
        out[n++] = REPLACEMENT;
        i += 1;
      }
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  private static boolean cont(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** Appends the UTF-8 bytes of {@code cp} (values above U+10FFFF are written as U+FFFD). */
  static void append(ByteList out, int cp) {
    if (cp < 0 || cp > Unicode.MAX_CODEPOINT) {
      cp = REPLACEMENT;
    }
    if (cp < 0x80) {
      out.add(cp);
    } else if (cp < 0x800) {
      out.add(0xC0 | (cp >> 6));
      out.add(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out.add(0xE0 | (cp >> 12));
      out.add(0x80 | ((cp >> 6) & 0x3F));
      out.add(0x80 | (cp & 0x3F));
    } else {
      out.add(0xF0 | (cp >> 18));
      out.add(0x80 | ((cp >> 12) & 0x3F));
      out.add(0x80 | ((cp >> 6) & 0x3F));
      out.add(0x80 | (cp & 0x3F));
    }
  }

  /**
   * Decodes {@code b[from, to)} strictly into {@code out}: well-formed sequences become their
   * code points, each maximal ill-formed subpart becomes one U+FFFD.
   */
  static void decode(byte[] b, int from, int to, StringBuilder out) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        out.append((char) c);
        i++;
        continue;
      }
      int need = needed(c);
      if (need == 0) {
        out.append((char) REPLACEMENT);
        i++;
        continue;
      }
      int cp = c & (0x3F >> need);
      int j = i + 1;
      int got = 0;
      while (got < need && j < to && validNext(c, got, b[j])) {
        cp = (cp << 6) | (b[j] & 0x3F);
        j++;
        got++;
      }
      if (got == need) {
        out.appendCodePoint(cp);
      } else {
        out.append((char) REPLACEMENT);
      }
      i = j;
    }
  }

  /** Continuation bytes a lead byte needs, or 0 when the byte cannot start a sequence. */
  private static int needed(int lead) {
    if (lead >= 0xC2 && lead <= 0xDF) {
      return 1;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
      return 2;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
      return 3;
    }
    return 0;
  }

  /** Whether {@code next} may follow {@code lead} as continuation byte number {@code index} (0-based). */
  private static boolean validNext(int lead, int index, byte next) {
    int n = next & 0xFF;
    if (index == 0) {
      return switch (lead) {
        case 0xE0 -> n >= 0xA0 && n <= 0xBF;
        case 0xED -> n >= 0x80 && n <= 0x9F;
        case 0xF0 -> n >= 0x90 && n <= 0xBF;
        case 0xF4 -> n >= 0x80 && n <= 0x8F;
        default -> n >= 0x80 && n <= 0xBF;
      };
    }
    return n >= 0x80 && n <= 0xBF;
  }

  /**
   * The length of the tail of {@code b[0, len)} that is the well-formed beginning of a sequence
   * still missing bytes (0 to 3); those bytes must wait for more input before decoding.
   */
  static int incompleteTail(byte[] b, int len) {
    for (int k = 1; k <= 3 && k <= len; k++) {
      int lead = b[len - k] & 0xFF;
      if (lead >= 0x80 && lead < 0xC0) {
        continue;
      }
      int need = needed(lead);
      if (need < k) {
        return 0;
      }
      for (int j = 1; j < k; j++) {
        if (!validNext(lead, j - 1, b[len - k + j])) {
          return 0;
        }
      }
      return k;
    }
    return 0;
  }
}
