package dev.banter.local.grammar;

import dev.banter.local.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * A vocabulary as a byte trie, for masking: each token's bytes (byte-fallback pieces such as
 * {@code <0xE2>} as their byte, SentencePiece's {@code ▁} as a space), laid out in depth-first
 * order so that one pass over the nodes, skipping the subtrees a grammar state rejects, finds
 * every allowed token and matches a shared prefix once. End-of-generation tokens are kept apart;
 * unknown and unused tokens are never allowed.
 *
 * <p>A control token ({@code [TOOL_CALLS]}, {@code <|tool_call|>}) is spelled by four bytes no
 * UTF-8 text holds: {@code 0xFF} and its id in three bytes ({@link #controlBytes}). A grammar names
 * it with {@link Expr.Token}, so it is allowed exactly where the grammar puts it and never inside
 * text that merely looks like it; tokens whose own bytes hold {@code 0xFF} (byte tokens that no
 * UTF-8 grammar can match anyway) are left out. Immutable and thread-safe; one per tokenizer,
 * cached.
 *
 * <pre>{@code
 * TokenIndex index = TokenIndex.of(model.tokenizer());
 * GrammarMatcher m = new GrammarMatcher(Grammar.jsonObject(), index);
 * }</pre>
 */
public final class TokenIndex {
  private static final Map<Tokenizer, TokenIndex> CACHE = new WeakHashMap<>();
  /** The first byte of a control token's stand-in bytes: never part of UTF-8 text. */
  static final int CONTROL_MARK = 0xFF;

  final int vocabSize;
  /** Each token's bytes; empty for tokens never matched as text. */
  final byte[][] bytes;
  final BitSet eog;
  /** Trie nodes in depth-first order; node 0 is the root. */
  final byte[] nodeByte;
  final int[] nodeDepth;
  /** One past the last node of each node's subtree. */
  final int[] subtreeEnd;
  /** Per node, the first of the tokens spelled by the path to it, or -1; more in {@link #nextToken}. */
  final int[] nodeToken;
  final int[] nextToken;
  final int maxDepth;
  /** The tokens with a {@code "} in their bytes: the only ones that can close a JSON member name. */
  final int[] quoteTokens;
  /** How many {@code "} bytes each of {@link #quoteTokens} has. */
  final int[] quoteCounts;

  private TokenIndex(byte[][] bytes, BitSet eog) {
    this.vocabSize = bytes.length;
    this.bytes = bytes;
    this.eog = eog;
    Integer[] order = new Integer[bytes.length];
    int count = 0;
    for (int t = 0; t < bytes.length; t++) {
      if (bytes[t].length > 0) {
        order[count++] = t;
      }
    }
    Integer[] sorted = Arrays.copyOf(order, count);
    Arrays.sort(sorted, (a, b) -> compareUnsigned(bytes[a], bytes[b]));
    // In sorted order a node is new where a token leaves the previous token's path, so the nodes
    // come out depth-first as they are created.
    int cap = 16;
    for (Integer t : sorted) {
      cap += bytes[t].length;
    }
    byte[] nb = new byte[cap];
    int[] nd = new int[cap];
    int[] nt = new int[cap];
    Arrays.fill(nt, -1);
    int[] next = new int[bytes.length];
    Arrays.fill(next, -1);
    int[] path = new int[1];
    int nodes = 1;
    byte[] previous = new byte[0];
    int deepest = 0;
    for (Integer t : sorted) {
      byte[] b = bytes[t];
      if (b.length >= path.length) {
        path = Arrays.copyOf(path, b.length + 1);
      }
      int common = 0;
      while (common < b.length && common < previous.length && b[common] == previous[common]) {
        common++;
      }
      for (int d = common; d < b.length; d++) {
        nb[nodes] = b[d];
        nd[nodes] = d + 1;
        path[d + 1] = nodes++;
      }
      int node = path[b.length];
      next[t] = nt[node];
      nt[node] = t;
      previous = b;
      deepest = Math.max(deepest, b.length);
    }
    this.nodeByte = Arrays.copyOf(nb, nodes);
    this.nodeDepth = Arrays.copyOf(nd, nodes);
    this.nodeToken = Arrays.copyOf(nt, nodes);
    this.nextToken = next;
    this.maxDepth = deepest;
    int[] end = new int[nodes];
    int[] open = new int[deepest + 2];
    int top = 0;
    open[0] = 0;
    for (int i = 1; i < nodes; i++) {
      while (top > 0 && nodeDepth[open[top]] >= nodeDepth[i]) {
        end[open[top--]] = i;
      }
      open[++top] = i;
    }
    while (top >= 0) {
      end[open[top--]] = nodes;
    }
    this.subtreeEnd = end;
    int quotes = 0;
    int[] q = new int[bytes.length];
    int[] c = new int[bytes.length];
    for (int t = 0; t < bytes.length; t++) {
      int n = 0;
      for (byte x : bytes[t]) {
        if (x == '"') {
          n++;
        }
      }
      if (n > 0) {
        c[quotes] = n;
        q[quotes++] = t;
      }
    }
    this.quoteTokens = Arrays.copyOf(q, quotes);
    this.quoteCounts = Arrays.copyOf(c, quotes);
  }

  private static int compareUnsigned(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i] & 0xFF, b[i] & 0xFF);
      }
    }
    return Integer.compare(a.length, b.length);
  }

  /** The index of a model's tokenizer, built on first use and then shared. */
  public static TokenIndex of(Tokenizer tokenizer) {
    Objects.requireNonNull(tokenizer, "tokenizer");
    synchronized (CACHE) {
      TokenIndex index = CACHE.get(tokenizer);
      if (index == null) {
        int n = tokenizer.vocabSize();
        byte[][] bytes = new byte[n][];
        BitSet eog = new BitSet(n);
        for (int t = 0; t < n; t++) {
          if (tokenizer.isEog(t)) {
            eog.set(t);
            bytes[t] = new byte[0];
          } else if (tokenizer.isControl(t)) {
            bytes[t] = controlBytes(t);
          } else {
            bytes[t] = withoutMark(tokenizer.textBytes(t), t);
          }
        }
        index = new TokenIndex(bytes, eog);
        CACHE.put(tokenizer, index);
      }
      return index;
    }
  }

  /** The bytes that stand for control token {@code id} in the trie and in grammars. */
  static byte[] controlBytes(int id) {
    if (id < 0 || id > 0xFFFFFF) {
      throw new IllegalArgumentException("token id " + id + " does not fit three bytes");
    }
    return new byte[] {(byte) CONTROL_MARK, (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
  }

  /** {@code bytes}, or nothing if they hold the control mark without being token {@code id}'s stand-in. */
  private static byte[] withoutMark(byte[] bytes, int id) {
    if (bytes.length == 4 && id <= 0xFFFFFF && Arrays.equals(bytes, controlBytes(id))) {
      return bytes;
    }
    for (byte b : bytes) {
      if ((b & 0xFF) == CONTROL_MARK) {
        return new byte[0];
      }
    }
    return bytes;
  }

  /**
   * An index of explicit token bytes (a control token's as {@link #controlBytes}): an empty array is a token never allowed as text;
   * {@code eog} marks the end-of-generation tokens.
   */
  public static TokenIndex of(byte[][] tokenBytes, BitSet eog) {
    byte[][] copy = new byte[tokenBytes.length][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = eog.get(i) ? new byte[0] : withoutMark(tokenBytes[i].clone(), i);
    }
    return new TokenIndex(copy, (BitSet) eog.clone());
  }

  public int vocabSize() {
    return vocabSize;
  }

  /** Number of trie nodes, the root included. */
  public int nodeCount() {
    return nodeByte.length;
  }

  boolean isEog(int token) {
    return eog.get(token);
  }
}
