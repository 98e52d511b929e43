package dev.banter.local.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level alphabet: every byte is shown as one printable code point (printable Latin-1
 * bytes as themselves, the others as U+0100 onwards), so BPE vocabularies hold only printable text.
 */
final class ByteLevel {
  private static final int[] BYTE_TO_CP = new int[256];
  private static final int[] CP_TO_BYTE = new int[324];

  static {
    java.util.Arrays.fill(CP_TO_BYTE, -1);
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      BYTE_TO_CP[b] = printable ? b : 256 + extra++;
      CP_TO_BYTE[BYTE_TO_CP[b]] = b;
    }
  }

  private ByteLevel() {}

  /** Appends the byte-level form (UTF-8 of the mapped code points) of {@code b[from, to)}. */
  static void encode(byte[] b, int from, int to, ByteList out) {
    for (int i = from; i < to; i++) {
      Utf8.append(out, BYTE_TO_CP[b[i] & 0xFF]);
    }
  }

  /** The code point standing for byte {@code b}. */
  static int codepoint(int b) {
    return BYTE_TO_CP[b & 0xFF];
  }

  /**
   * The bytes a byte-level token text stands for; a code point outside the alphabet becomes
   * {@code [UNK_BYTE_0x..<text>]} as in llama.cpp.
   */
  static byte[] decode(byte[] text) {
    ByteList out = new ByteList(text.length);
    int[] cps = Utf8.codepoints(text, 0, text.length);
    for (int cp : cps) {
      int b = cp >= 0 && cp < CP_TO_BYTE.length ? CP_TO_BYTE[cp] : -1;
      if (b >= 0) {
        out.add(b);
        continue;
      }
      ByteList utf8 = new ByteList(4);
      Utf8.append(utf8, cp);
      StringBuilder sb = new StringBuilder("[UNK_BYTE_0x");
      for (int i = 0; i < utf8.size(); i++) {
        sb.append(String.format("%02x", utf8.get(i) & 0xFF));
      }
      out.add(sb.toString().getBytes(StandardCharsets.US_ASCII));
      out.add(text);
      out.add(']');
    }
    return out.toArray();
  }
}
