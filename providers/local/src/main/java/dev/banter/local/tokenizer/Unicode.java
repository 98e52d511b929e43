package dev.banter.local.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Code point classes as llama.cpp's tokenizers see them: the Unicode 15.1 general category
 * grouped into number, letter, separator, mark, punctuation, symbol, control and unassigned, plus
 * the White_Space property. The table ships as a resource so that every JVM and Android release
 * classifies code points the same way, whatever Unicode version its own {@link Character} knows.
 */
final class Unicode {
  static final int UNDEFINED = 0x001;
  static final int NUMBER = 0x002;
  static final int LETTER = 0x004;
  static final int SEPARATOR = 0x008;
  static final int MARK = 0x010;
  static final int PUNCTUATION = 0x020;
  static final int SYMBOL = 0x040;
  static final int CONTROL = 0x080;
  static final int CATEGORIES = 0x0FF;
  static final int WHITESPACE = 0x100;

  static final int MAX_CODEPOINT = 0x10FFFF;

  private static final int[] WHITE_SPACE = {
    0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
    0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000
  };

  /** Flags of every BMP code point. */
  private static final short[] BMP = new short[0x10000];
  /** Run starts and flags above the BMP, for binary search. */
  private static final int[] SUPP_START;
  private static final short[] SUPP_FLAGS;

  static {
    int[] starts = new int[4096];
    short[] flags = new short[4096];
    int n = 0;
    try (InputStream in = Unicode.class.getResourceAsStream("unicode-categories.txt")) {
      if (in == null) {
        throw new IllegalStateException("unicode-categories.txt is missing from the banter-local jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isEmpty() || line.charAt(0) == '#') {
          continue;
        }
        if (n == starts.length) {
          starts = java.util.Arrays.copyOf(starts, n * 2);
          flags = java.util.Arrays.copyOf(flags, n * 2);
        }
        starts[n] = Integer.parseInt(line.substring(0, 6), 16);
        flags[n] = (short) flagOf(line.charAt(7));
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read unicode-categories.txt", e);
    }
    int suppFirst = -1;
    for (int i = 0; i < n; i++) {
      int end = i + 1 < n ? starts[i + 1] : MAX_CODEPOINT + 1;
      for (int cp = starts[i]; cp < Math.min(end, 0x10000); cp++) {
        BMP[cp] = flags[i];
      }
      if (suppFirst < 0 && end > 0x10000) {
        suppFirst = i;
      }
    }
    SUPP_START = java.util.Arrays.copyOfRange(starts, suppFirst, n);
    SUPP_FLAGS = java.util.Arrays.copyOfRange(flags, suppFirst, n);
    for (int cp : WHITE_SPACE) {
      BMP[cp] |= WHITESPACE;
    }
  }

  private Unicode() {}

  private static int flagOf(char c) {
    return switch (c) {
      case 'N' -> NUMBER;
      case 'L' -> LETTER;
      case 'Z' -> SEPARATOR;
      case 'M' -> MARK;
      case 'P' -> PUNCTUATION;
      case 'S' -> SYMBOL;
      case 'C' -> CONTROL;
      default -> UNDEFINED;
    };
  }

  /**
   * The category flag of {@code cp} with {@link #WHITESPACE} added when it is white space; 0 for
   * a negative value (used as "outside the text"), {@link #UNDEFINED} above U+10FFFF.
   */
  static int flags(int cp) {
    if (cp < 0) {
      return 0;
    }
    if (cp < 0x10000) {
      return BMP[cp];
    }
    if (cp > MAX_CODEPOINT) {
      return UNDEFINED;
    }
    int lo = 0;
    int hi = SUPP_START.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (SUPP_START[mid] <= cp) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return SUPP_FLAGS[lo];
  }

  static boolean isLetter(int cp) {
    return (flags(cp) & LETTER) != 0;
  }

  static boolean isNumber(int cp) {
    return (flags(cp) & NUMBER) != 0;
  }

  static boolean isWhitespace(int cp) {
    return (flags(cp) & WHITESPACE) != 0;
  }

  /** ASCII-only lower-casing, which is all the contraction rules compare against. */
  static int toLowerAscii(int cp) {
    return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
  }
}
