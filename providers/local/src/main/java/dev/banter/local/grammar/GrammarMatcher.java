package dev.banter.local.grammar;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where generation stands in a {@link Grammar}, and which tokens may come next. Not thread-safe:
 * one per generation.
 *
 * <pre>{@code
 * GrammarMatcher m = new GrammarMatcher(grammar, TokenIndex.of(tokenizer));
 * int t = sampler.sample(logits);
 * if (!m.allows(t)) { m.maskLogits(logits); t = sampler.sample(logits); }
 * m.accept(t);
 * }</pre>
 *
 * <p>The state is llama.cpp's: a set of parse stacks, each topped by the byte set it expects next,
 * advanced byte by byte (so a token may end inside a character or span several grammar symbols).
 * States are interned and their transitions cached, which makes the matcher a lazily built
 * automaton: re-entering a state (the next character of a string, say) costs an array lookup.
 * The allowed-token mask of a state is one pass over the vocabulary trie that skips every subtree
 * whose first byte the state rejects, and is cached for recently seen states.
 */
public final class GrammarMatcher {
  static final int MAX_STATES = 16_384;
  private static final int MAX_MASKS = 128;
  private static final byte[] PREFERRED = "0a1A \"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Grammar g;
  private final TokenIndex index;
  private final Map<State, State> states = new HashMap<>();
  private final ArrayDeque<State> masked = new ArrayDeque<>();
  private final State dead = new State(new Frame[0], false);
  private final int words;
  /** For a JSON document: the open objects' member names, which must not repeat. */
  private final JsonNames names;
  private State current;

  public GrammarMatcher(Grammar grammar, TokenIndex index) {
    this.g = Objects.requireNonNull(grammar, "grammar");
    this.index = Objects.requireNonNull(index, "index");
    this.words = (index.vocabSize + 63) >>> 6;
    this.names = grammar.json ? new JsonNames() : null;
    Collector c = new Collector();
    for (int alt : g.alternatives[g.root]) {
      closure(alt, null, c);
    }
    current = c.state();
  }

  // ---- asking and moving

  /** Whether {@code token} may come next (an end-of-generation token: whether the text may end here). */
  public boolean allows(int token) {
    return after(current, token) != dead
        && (names == null || index.isEog(token) || !names.wouldRepeat(index.bytes[token]));
  }

  /**
   * Moves past {@code token}.
   *
   * @throws IllegalStateException if the grammar does not allow it; the state is unchanged
   */
  public void accept(int token) {
    State next = after(current, token);
    if (next == dead) {
      throw new IllegalStateException("token " + token + " is not allowed by the grammar here");
    }
    current = next;
    if (names != null && !index.isEog(token)) {
      names.accept(index.bytes[token]);
    }
  }

  /** Moves past {@code bytes}; false (and the state unchanged) if the grammar rejects them. */
  public boolean acceptBytes(byte[] bytes) {
    State s = current;
    for (byte b : bytes) {
      s = step(s, b & 0xFF);
    }
    if (s == dead) {
      return false;
    }
    current = s;
    if (names != null) {
      names.accept(bytes);
    }
    return true;
  }

  /** Whether the text so far is a complete sentence of the grammar. */
  public boolean isComplete() {
    return current.accepting;
  }

  /** Whether some byte may still follow. */
  public boolean canContinue() {
    return current.stacks.length > 0;
  }

  private State after(State s, int token) {
    if (token < 0 || token >= index.vocabSize) {
      return dead;
    }
    if (index.isEog(token)) {
      return s.accepting ? s : dead;
    }
    byte[] b = index.bytes[token];
    if (b.length == 0) {
      return dead;
    }
    for (int i = 0; i < b.length && s != dead; i++) {
      s = step(s, b[i] & 0xFF);
    }
    return s;
  }

  // ---- masks

  /** The tokens allowed next, as a new set. */
  public BitSet allowedTokens() {
    return BitSet.valueOf(allowed());
  }

  /**
   * Sets the logits of disallowed tokens to negative infinity (the first {@code vocabSize}
   * values) and returns how many tokens remain allowed.
   */
  public int maskLogits(float[] logits) {
    long[] m = allowed();
    int allowed = 0;
    int n = Math.min(index.vocabSize, logits.length);
    for (int w = 0; w < words; w++) {
      long bits = m[w];
      int base = w << 6;
      int end = Math.min(64, n - base);
      if (bits == 0) {
        Arrays.fill(logits, base, base + end, Float.NEGATIVE_INFINITY);
        continue;
      }
      if (bits == -1L && end == 64) {
        allowed += 64;
        continue;
      }
      for (int i = 0; i < end; i++) {
        if ((bits >>> i & 1L) == 0) {
          logits[base + i] = Float.NEGATIVE_INFINITY;
        } else {
          allowed++;
        }
      }
    }
    return allowed;
  }

  /**
   * The grammar's mask of the current state, less (in a JSON document) the tokens that would
   * close a member name its object already has.
   */
  private long[] allowed() {
    long[] m = mask(current);
    if (names == null || !names.active()) {
      return m;
    }
    long[] own = null;
    int need = names.quotesToCloseName();
    int[] quoteTokens = index.quoteTokens;
    for (int i = 0; i < quoteTokens.length; i++) {
      int t = quoteTokens[i];
      if (index.quoteCounts[i] >= need && (m[t >>> 6] >>> t & 1L) != 0 && names.wouldRepeat(index.bytes[t])) {
        if (own == null) {
          own = m.clone();
        }
        own[t >>> 6] &= ~(1L << t);
      }
    }
    return own == null ? m : own;
  }

  private long[] mask(State s) {
    if (s.mask != null) {
      return s.mask;
    }
    long[] m = new long[words];
    if (s.accepting) {
      for (int t = index.eog.nextSetBit(0); t >= 0; t = index.eog.nextSetBit(t + 1)) {
        m[t >>> 6] |= 1L << t;
      }
    }
    if (s.stacks.length > 0) {
      byte[] nodeByte = index.nodeByte;
      int[] depth = index.nodeDepth;
      int[] end = index.subtreeEnd;
      int[] nodeToken = index.nodeToken;
      int[] nextToken = index.nextToken;
      State[] at = new State[index.maxDepth + 1];
      at[0] = s;
      State rejected = dead;
      int n = nodeByte.length;
      int i = 1;
      while (i < n) {
        int d = depth[i];
        State from = at[d - 1];
        State[] row = from.next;
        int b = nodeByte[i] & 0xFF;
        State to;
        if (row == null || (to = row[b]) == null) {
          to = step(from, b);
        }
        if (to == rejected) {
          i = end[i];
          continue;
        }
        at[d] = to;
        int t = nodeToken[i];
        while (t >= 0) {
          m[t >>> 6] |= 1L << t;
          t = nextToken[t];
        }
        i++;
      }
    }
    s.mask = m;
    masked.addLast(s);
    if (masked.size() > MAX_MASKS) {
      masked.pollFirst().mask = null;
    }
    return m;
  }

  // ---- completion

  /**
   * The shortest bytes that make the text so far a complete sentence (empty if it already is):
   * open strings, arrays and objects closed with the least required content.
   */
  public byte[] completion() {
    return completionBytes(current);
  }

  /**
   * Tokens spelling {@link #completion()}, longest vocabulary match first; shorter than needed
   * only if the vocabulary cannot spell some byte of it.
   */
  public int[] completionTokens() {
    int[] tokens = completionTokens(current);
    if (names == null || !names.active() || !names.wouldRepeat(completionBytes(current))) {
      return tokens;
    }
    // The shortest ending would close a member name its object already has (the text stopped in
    // the middle of one): lengthen the name by a character or two.
    for (byte[] extra : NAME_EXTENSIONS) {
      State s = current;
      for (int i = 0; i < extra.length && s != dead; i++) {
        s = step(s, extra[i] & 0xFF);
      }
      if (s == dead) {
        continue;
      }
      byte[] rest = completionBytes(s);
      byte[] all = Arrays.copyOf(extra, extra.length + rest.length);
      System.arraycopy(rest, 0, all, extra.length, rest.length);
      if (!names.wouldRepeat(all)) {
        return spell(all);
      }
    }
    return tokens;
  }

  /** Characters a forced ending may add to keep a member name new: one, then two of them. */
  private static final byte[][] NAME_EXTENSIONS;

  static {
    byte[] chars = "\"0123456789abcdefghijklmnopqrstuvwxyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    NAME_EXTENSIONS = new byte[chars.length + chars.length * chars.length][];
    int k = 0;
    for (byte a : chars) {
      NAME_EXTENSIONS[k++] = new byte[] {a};
    }
    for (byte a : chars) {
      for (byte b : chars) {
        NAME_EXTENSIONS[k++] = new byte[] {a, b};
      }
    }
  }

  /**
   * The number of tokens {@link #completionTokens()} would have after {@code token}, or
   * {@code Integer.MAX_VALUE} if {@code token} is not allowed.
   */
  public int completionLengthAfter(int token) {
    State s = after(current, token);
    if (s == dead) {
      return Integer.MAX_VALUE;
    }
    if (index.isEog(token)) {
      return 0;
    }
    // In a JSON document the ending may need two more characters to keep a name new.
    return completionTokens(s).length + (names != null ? 2 : 0);
  }

  private byte[] completionBytes(State s) {
    if (s.accepting || s.stacks.length == 0) {
      return new byte[0];
    }
    Frame best = null;
    long bestCost = Long.MAX_VALUE;
    for (Frame f : s.stacks) {
      long cost = 0;
      for (Frame x = f; x != null; x = x.next) {
        cost += g.restMin[x.pos];
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = f;
      }
    }
    Compiler.IntList out = new Compiler.IntList();
    for (Frame x = best; x != null; x = x.next) {
      shortestText(x.pos, out, 0);
    }
    byte[] r = new byte[out.size];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) out.data[i];
    }
    return r;
  }

  private void shortestText(int pos, Compiler.IntList out, int depth) {
    if (depth > 10_000) {
      throw new IllegalStateException("grammar completion nests too deeply");
    }
    for (int p = pos; g.symbols[p] != Grammar.END; p++) {
      int s = g.symbols[p];
      if (s >= 0) {
        out.add(pick(s));
      } else {
        shortestText(g.shortest[-s - 1], out, depth + 1);
      }
    }
  }

  private int pick(int set) {
    for (byte b : PREFERRED) {
      if (g.inSet(set, b)) {
        return b;
      }
    }
    for (int b = 0x21; b < 0x7F; b++) {
      if (g.inSet(set, b)) {
        return b;
      }
    }
    for (int b = 0; b < 256; b++) {
      if (g.inSet(set, b)) {
        return b;
      }
    }
    throw new IllegalStateException("empty byte set");
  }

  private int[] completionTokens(State s) {
    if (s.completion != null) {
      return s.completion;
    }
    s.completion = spell(completionBytes(s));
    return s.completion;
  }

  /** Tokens spelling {@code bytes}, longest vocabulary match first (fewer if some byte has no token). */
  private int[] spell(byte[] bytes) {
    Compiler.IntList tokens = new Compiler.IntList();
    int pos = 0;
    while (pos < bytes.length) {
      int node = 0;
      int bestToken = -1;
      int bestLength = 0;
      for (int k = pos; k < bytes.length; k++) {
        node = child(node, bytes[k]);
        if (node < 0) {
          break;
        }
        if (index.nodeToken[node] >= 0) {
          bestToken = index.nodeToken[node];
          bestLength = k - pos + 1;
        }
      }
      if (bestToken < 0) {
        break;
      }
      tokens.add(bestToken);
      pos += bestLength;
    }
    return tokens.toArray();
  }

  private int child(int node, byte b) {
    int end = index.subtreeEnd[node];
    for (int c = node + 1; c < end; c = index.subtreeEnd[c]) {
      if (index.nodeByte[c] == b) {
        return c;
      }
    }
    return -1;
  }

  // ---- the automaton

  private State step(State s, int b) {
    if (s.stacks.length == 0) {
      return dead;
    }
    State[] row = s.next;
    if (row == null) {
      row = new State[256];
      s.next = row;
    }
    State known = row[b];
    if (known != null) {
      return known;
    }
    Collector c = new Collector();
    for (Frame f : s.stacks) {
      if (g.inSet(g.symbols[f.pos], b)) {
        closure(f.pos + 1, f.next, c);
      }
    }
    State r = c.state();
    // Into the row read above: if interning just dropped the automaton, the row goes with it.
    row[b] = r;
    return r;
  }

  /** Adds the stacks reached from position {@code pos} (returning to {@code next}) that expect a byte. */
  private void closure(int pos, Frame next, Collector c) {
    int[] symbols = g.symbols;
    while (true) {
      int s = symbols[pos];
      if (s == Grammar.END) {
        if (next == null) {
          c.accepting = true;
          return;
        }
        pos = next.pos;
        next = next.next;
        continue;
      }
      if (s >= 0) {
        c.frames.add(new Frame(pos, next));
        return;
      }
      // A reference last in its alternative returns straight to the caller's caller, so
      // right recursion (x ::= item x | "") keeps the stacks short.
      Frame ret = symbols[pos + 1] == Grammar.END ? next : new Frame(pos + 1, next);
      for (int alt : g.alternatives[-s - 1]) {
        closure(alt, ret, c);
      }
      return;
    }
  }

  /** Stacks gathered for one state. */
  private final class Collector {
    final Set<Frame> frames = new HashSet<>();
    boolean accepting;

    State state() {
      if (frames.isEmpty() && !accepting) {
        return dead;
      }
      Frame[] f = frames.toArray(new Frame[0]);
      Arrays.sort(f, Frame::compare);
      State s = new State(f, accepting);
      State known = states.get(s);
      if (known != null) {
        return known;
      }
      if (states.size() >= MAX_STATES) {
        // Drop the automaton built so far: states still held (the current one) stay valid and
        // rebuild their transitions, and nothing keeps the old ones reachable.
        for (State old : states.keySet()) {
          old.next = null;
          old.mask = null;
        }
        states.clear();
        masked.clear();
      }
      states.put(s, s);
      return s;
    }
  }

  /** One parse stack, top first: the position expecting the next byte, then return positions. */
  static final class Frame {
    final int pos;
    final Frame next;
    final int hash;

    Frame(int pos, Frame next) {
      this.pos = pos;
      this.next = next;
      this.hash = (next == null ? 17 : next.hash * 31) + pos * 0x9E3779B1;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Frame f && compare(this, f) == 0;
    }

    static int compare(Frame a, Frame b) {
      if (a.hash != b.hash) {
        return Integer.compare(a.hash, b.hash);
      }
      while (a != b) {
        if (a == null || b == null) {
          return a == null ? -1 : 1;
        }
        if (a.pos != b.pos) {
          return Integer.compare(a.pos, b.pos);
        }
        a = a.next;
        b = b.next;
      }
      return 0;
    }
  }

  /** A set of stacks, interned; its transitions, mask and completion are filled in on demand. */
  static final class State {
    final Frame[] stacks;
    final boolean accepting;
    final int hash;
    State[] next;
    long[] mask;
    int[] completion;

    State(Frame[] stacks, boolean accepting) {
      this.stacks = stacks;
      this.accepting = accepting;
      this.hash = Arrays.hashCode(stacks) * 2 + (accepting ? 1 : 0);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s && s.hash == hash && s.accepting == accepting && Arrays.equals(s.stacks, stacks);
    }
  }

  /** Forgets the cached masks (for timing the trie walk itself). */
  void dropMasks() {
    for (State s : masked) {
      s.mask = null;
    }
    masked.clear();
  }

  /** Number of automaton states built so far (for tests and tuning). */
  int stateCount() {
    return states.size();
  }
}
