package dev.banter.local.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level BPE encoding as llama.cpp's {@code llm_tokenizer_bpe} does it: split the text into
 * words with the vocabulary's pre-tokenizer, write each word in GPT-2's byte alphabet, then
 * repeatedly merge the adjacent pair with the lowest merge rank (leftmost first on ties).
 */
final class BpeEncoder {
  private final Vocab vocab;
  private final PreTokenizer preTokenizer;
  private final SymbolMerges.PairRank mergeRank;

  BpeEncoder(Vocab vocab) {
    this.vocab = vocab;
    this.preTokenizer = PreTokenizer.of(vocab.preType);
    this.mergeRank = (s, at, left, right) -> {
      Integer rank = vocab.ranks.get(Vocab.mergeKey(s.substring(at, at + left),
          s.substring(at + left, at + left + right)));
      return rank == null ? Float.NaN : rank;
    };
  }

  /** Encodes raw UTF-8 {@code text}, appending ids to {@code out}. */
  void encode(byte[] text, IntList out) {
    int[] cps = Utf8.codepoints(text, 0, text.length);
    int pos = 0;
    ByteList utf8 = new ByteList(64);
    ByteList word = new ByteList(128);
    for (int length : preTokenizer.split(cps)) {
      utf8.clear();
      for (int i = pos; i < pos + length; i++) {
        Utf8.append(utf8, cps[i]);
      }
      pos += length;
      word.clear();
      ByteLevel.encode(utf8.array(), 0, utf8.size(), word);
      encodeWord(word.toArray(), out);
    }
  }

  private void encodeWord(byte[] w, IntList out) {
    String s = new String(w, StandardCharsets.ISO_8859_1);
    if (vocab.ignoreMerges) {
      Integer whole = vocab.id(s);
      if (whole != null) {
        out.add(whole);
        return;
      }
    }
    SymbolMerges.merge(w, s, mergeRank, (start, length) -> {
      Integer id = vocab.id(s.substring(start, start + length));
      if (id != null) {
        out.add(id);
        return;
      }
      for (int j = start; j < start + length; j++) {
        Integer b = vocab.id(s.substring(j, j + 1));
        if (b != null) {
          out.add(b);
        }
      }
    });
  }
}
