package dev.banter.local.tokenizer;

import java.util.PriorityQueue;

/**
 * The merge loop that both encoders run, as llama.cpp's SentencePiece and BPE tokenizers do: the
 * text starts as one symbol per UTF-8 character; the adjacent pair that ranks best is merged into
 * one symbol, again and again, until no adjacent pair ranks at all. Ties go to the leftmost pair.
 * A queued pair whose symbols have changed since it was queued is skipped when it comes up.
 */
final class SymbolMerges {
  /** How an encoder ranks merging two adjacent symbols of {@code s}; lower merges first. */
  interface PairRank {
    /** The pair's rank, or {@link Float#NaN} if the pair may not merge. */
    float rank(String s, int leftStart, int leftLength, int rightLength);
  }

  /** Receives the symbols left when no pair merges any more, left to right. */
  interface SymbolSink {
    void symbol(int start, int length);
  }

  private record Pair(int left, int right, float rank, int size) {}

  private SymbolMerges() {}

  /**
   * Merges the symbols of {@code text} ({@code s} holds the same bytes, one char per byte) as
   * {@code ranks} says and hands the remaining ones to {@code sink}.
   */
  static void merge(byte[] text, String s, PairRank ranks, SymbolSink sink) {
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
    PriorityQueue<Pair> queue = new PriorityQueue<>(Math.max(1, n), (a, b) -> {
      int c = Float.compare(a.rank(), b.rank());
      return c != 0 ? c : Integer.compare(a.left(), b.left());
    });
    for (int i = 1; i < n; i++) {
      offer(queue, ranks, s, start, len, i - 1, i);
    }
    while (!queue.isEmpty()) {
      Pair p = queue.poll();
      if (len[p.left()] == 0 || len[p.right()] == 0 || len[p.left()] + len[p.right()] != p.size()) {
        continue;
      }
      len[p.left()] += len[p.right()];
      len[p.right()] = 0;
      next[p.left()] = next[p.right()];
      if (next[p.right()] >= 0) {
        prev[next[p.right()]] = p.left();
      }
      offer(queue, ranks, s, start, len, prev[p.left()], p.left());
      offer(queue, ranks, s, start, len, p.left(), next[p.left()]);
    }
    for (int i = 0; i != -1; i = next[i]) {
      sink.symbol(start[i], len[i]);
    }
  }

  private static void offer(PriorityQueue<Pair> queue, PairRank ranks, String s, int[] start, int[] len, int left,
      int right) {
    if (left < 0 || right < 0) {
      return;
    }
    float rank = ranks.rank(s, start[left], len[left], len[right]);
    if (!Float.isNaN(rank)) {
      queue.add(new Pair(left, right, rank, len[left] + len[right]));
    }
  }
}
