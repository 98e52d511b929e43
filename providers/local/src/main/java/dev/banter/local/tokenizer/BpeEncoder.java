package dev.banter.local.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * Byte-level BPE encoding as llama.cpp's {@code llm_tokenizer_bpe} does it: split the text into
 * words with the vocabulary's pre-tokenizer, write each word in GPT-2's byte alphabet, then
 * repeatedly merge the adjacent pair with the lowest merge rank (leftmost first on ties).
 */
final class BpeEncoder {
  private static final class Bigram {
    final int left;
    final int right;
    final int rank;
    final int size;

    Bigram(int left, int right, int rank, int size) {
      this.left = left;
      this.right = right;
      this.rank = rank;
      this.size = size;
    }
  }

  private final Vocab vocab;
  private final PreTokenizer preTokenizer;

  BpeEncoder(Vocab vocab) {
    this.vocab = vocab;
    this.preTokenizer = PreTokenizer.of(vocab.preType);
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
    int n = 0;
    int[] start = new int[w.length];
    int[] len = new int[w.length];
    for (int off = 0; off < w.length; ) {
      int l = Math.min(Utf8.sequenceLength(w[off]), w.length - off);
      start[n] = off;
      len[n] = l;
      n++;
      off += l;
    }
    if (n == 0) {
      return;
    }
    int[] prev = new int[n];
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
    }
    PriorityQueue<Bigram> queue = new PriorityQueue<>(Math.max(1, n), (a, b) ->
        a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
    for (int i = 1; i < n; i++) {
      tryAdd(queue, s, start, len, i - 1, i);
    }
    while (!queue.isEmpty()) {
      Bigram g = queue.poll();
      if (len[g.left] == 0 || len[g.right] == 0 || len[g.left] + len[g.right] != g.size) {
        continue;
      }
      len[g.left] += len[g.right];
      len[g.right] = 0;
      next[g.left] = next[g.right];
      if (next[g.right] >= 0) {
        prev[next[g.right]] = g.left;
      }
      tryAdd(queue, s, start, len, prev[g.left], g.left);
      tryAdd(queue, s, start, len, g.left, next[g.left]);
    }
    for (int i = 0; i != -1; i = next[i]) {
      Integer id = vocab.id(s.substring(start[i], start[i] + len[i]));
      if (id != null) {
        out.add(id);
        continue;
      }
      for (int j = start[i]; j < start[i] + len[i]; j++) {
        Integer b = vocab.id(s.substring(j, j + 1));
        if (b != null) {
          out.add(b);
        }
      }
    }
  }

  private void tryAdd(PriorityQueue<Bigram> queue, String s, int[] start, int[] len, int left, int right) {
    if (left < 0 || right < 0) {
      return;
    }
    String l = s.substring(start[left], start[left] + len[left]);
    String r = s.substring(start[right], start[right] + len[right]);
    Integer rank = vocab.ranks.get(Vocab.mergeKey(l, r));
    if (rank != null) {
      queue.add(new Bigram(left, right, rank, len[left] + len[right]));
    }
  }
}
