package dev.banter.local.grammar;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Synthetic vocabularies: id 0 ends generation, id 1 is a control token, 2..257 the single bytes, then words. */
final class Vocabs {
  static final int EOS = 0;
  static final int CONTROL = 1;

  private Vocabs() {}

  static int byteToken(int b) {
    return 2 + (b & 0xFF);
  }

  static byte[][] table(List<String> words) {
    List<byte[]> t = new ArrayList<>();
    t.add(new byte[0]);
    t.add(new byte[0]);
    for (int b = 0; b < 256; b++) {
      t.add(new byte[] {(byte) b});
    }
    for (String w : words) {
      t.add(w.getBytes(StandardCharsets.UTF_8));
    }
    return t.toArray(new byte[0][]);
  }

  static TokenIndex index(List<String> words) {
    BitSet eog = new BitSet();
    eog.set(EOS);
    return TokenIndex.of(table(words), eog);
  }

  /** JSON-ish pieces, several spanning grammar symbols, and multi-byte characters. */
  static final List<String> JSON_WORDS = List.of("{", "}", "{\"", "\":", "\": ", "\",", "\", \"", "[", "]", "[]", "{}",
      "true", "false", "null", "0", "1", "12", "-", ".", "5", "\"", "a", "ab", "name", " ", "\n", "\n  ", "é", "日本",
      "😀", "\\n", "\\\"", "\\u00e9", ",", ", ", ":", "\"name\"", "\"a\"", "tr", "ue", "}]", "]}", "},{");
}
