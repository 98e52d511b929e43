package dev.banter.local.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * SentencePiece-style encoding as llama.cpp's {@code llm_tokenizer_spm} does it: start from one
 * symbol per UTF-8 character, repeatedly merge the adjacent pair whose concatenation is the
 * vocabulary entry with the highest score (leftmost first on ties), and spell any symbol that is
 * not in the vocabulary as {@code <0xNN>} byte tokens.
 */
final class SpmEncoder {
  private final Vocab vocab;
  private final int[] byteTokens = new int[256];
  private final SymbolMerges.PairRank mergeRank;

  SpmEncoder(Vocab vocab) {
    this.vocab = vocab;
    this.mergeRank = (s, at, left, right) -> {
      Integer id = vocab.id(s.substring(at, at + left + right));
      return id == null ? Float.NaN : -vocab.scores[id];
    };
    for (int b = 0; b < 256; b++) {
      Integer id = vocab.id(String.format("<0x%02X>", b));
      if (id == null) {
        id = vocab.id(String.valueOf((char) b));
      }
      byteTokens[b] = id != null ? id : vocab.unk;
    }
  }

  /** Encodes {@code text}, whose spaces are already written as U+2581, appending ids to {@code out}. */
  void encode(byte[] text, IntList out) {
    String s = new String(text, StandardCharsets.ISO_8859_1);
    SymbolMerges.merge(text, s, mergeRank, (start, length) -> {
      Integer id = vocab.id(s.substring(start, start + length));
      if (id != null) {
        out.add(id);
        return;
      }
      for (int j = start; j < start + length; j++) {
        int t = byteTokens[text[j] & 0xFF];
        if (t >= 0) {
          out.add(t);
        }
      }
    });
  }
}
