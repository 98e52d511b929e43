package dev.banter.local.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece-style encoding as llama.cpp's {@code llm_tokenizer_spm} does it: start from one
 * symbol per UTF-8 character, repeatedly merge the adjacent pair whose concatenation is the
 * vocabulary entry with the highest score (leftmost first on ties), and spell any symbol that is
 * not in the vocabulary as {@code <0xNN>} byte tokens.
 */
final class SpmEncoder {
  private static final class Bigram {
    final int left;
    final int right;
    final float score;
    final int size;

    Bigram(int left, int right, float score, int size) {
      this.left = left;
      this.right = right;
      this.score = score;
      this.size = size;
    }
  }

  private final Vocab vocab;
  private final int[] byteTokens = new int[256];

  SpmEncoder(Vocab vocab) {
    this.vocab = vocab;
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
    int n = 0;
    int[] start = new int[text.length];
    int[] len = new int[text.length];
    for (int off = 0; off < text.length; ) {
      int l = Math.min(Utf8.sequenceLength(text[off]), text.length - off);
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
        a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
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
        int t = byteTokens[text[j] & 0xFF];
        if (t >= 0) {
          out.add(t);
        }
      }
    }
  }

  private void tryAdd(PriorityQueue<Bigram> queue, String s, int[] start, int[] len, int left, int right) {
    if (left < 0 || right < 0) {
      return;
    }
    int size = len[left] + len[right];
    Integer id = vocab.id(s.substring(start[left], start[left] + size));
    if (id != null) {
      queue.add(new Bigram(left, right, vocab.scores[id], size));
    }
  }
}
