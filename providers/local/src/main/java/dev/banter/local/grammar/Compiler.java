package dev.banter.local.grammar;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns named {@link Expr}s into a {@link Grammar}: rules referenced from the start expression
 * are compiled on first use; alternatives nested in a sequence, character classes with
 * multi-byte characters and repetitions become generated rules ({@code x*} is
 * {@code x-star ::= x x-star | ""}, {@code x{0,3}} a chain of three optional rules). Then rejects
 * left recursion and rules that cannot finish, and lays the rules out as positions.
 */
final class Compiler {
  private static final int INF = Integer.MAX_VALUE / 4;

  private final Map<String, Expr> declared;
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  private final List<List<int[]>> bodies = new ArrayList<>();
  private final Deque<String> pending = new ArrayDeque<>();
  private final List<long[]> sets = new ArrayList<>();
  private final Map<String, Integer> setIds = new HashMap<>();
  private final Map<String, Integer> generated = new HashMap<>();

  Compiler(Map<String, Expr> declared) {
    this.declared = declared;
  }

  Grammar compile(Expr start, boolean json) {
    int root;
    if (start instanceof Expr.Ref r) {
      root = ruleId(r.name(), "the start");
    } else {
      root = newRule("start");
      bodies.set(root, alternatives(start, "start"));
    }
    while (!pending.isEmpty()) {
      String name = pending.poll();
      bodies.set(ids.get(name), alternatives(declared.get(name), name));
    }
    return layout(root, json);
  }

  private int newRule(String name) {
    int id = names.size();
    names.add(name);
    bodies.add(new ArrayList<>());
    return id;
  }

  private int ruleId(String name, String from) {
    Integer id = ids.get(name);
    if (id != null) {
      return id;
    }
    if (!declared.containsKey(name)) {
      throw new GrammarException("rule '" + name + "' is not defined (referenced from " + from + ")");
    }
    id = newRule(name);
    ids.put(name, id);
    pending.add(name);
    return id;
  }

  private List<int[]> alternatives(Expr e, String owner) {
    List<int[]> alts = new ArrayList<>();
    if (e instanceof Expr.Alt a) {
      for (Expr c : a.choices()) {
        alts.add(sequence(c, owner));
      }
    } else {
      alts.add(sequence(e, owner));
    }
    return alts;
  }

  private int[] sequence(Expr e, String owner) {
    IntList out = new IntList();
    emit(e, out, owner);
    return out.toArray();
  }

  private void emit(Expr e, IntList out, String owner) {
    if (e instanceof Expr.Literal l) {
      for (byte b : l.text().getBytes(StandardCharsets.UTF_8)) {
        out.add(byteSet(b & 0xFF, b & 0xFF));
      }
    } else if (e instanceof Expr.Token t) {
      for (byte b : TokenIndex.controlBytes(t.id())) {
        out.add(byteSet(b & 0xFF, b & 0xFF));
      }
    } else if (e instanceof Expr.Ref r) {
      out.add(-(ruleId(r.name(), "rule '" + owner + "'") + 1));
    } else if (e instanceof Expr.Seq s) {
      for (Expr p : s.parts()) {
        emit(p, out, owner);
      }
    } else if (e instanceof Expr.Alt a) {
      if (a.choices().size() == 1) {
        emit(a.choices().get(0), out, owner);
      } else {
        int id = newRule(owner + "-" + names.size());
        bodies.set(id, alternatives(a, owner));
        out.add(-(id + 1));
      }
    } else if (e instanceof Expr.CharClass c) {
      charClass(c, out, owner);
    } else {
      repeat((Expr.Repeat) e, out, owner);
    }
  }

  private void repeat(Expr.Repeat r, IntList out, String owner) {
    int[] atom = sequence(r.body(), owner);
    for (int i = 0; i < r.min(); i++) {
      out.addAll(atom);
    }
    if (atom.length == 0) {
      return;
    }
    String key = Arrays.toString(atom);
    if (r.max() < 0) {
      out.add(-(generatedRule("*" + key, owner + "-star", atom, -1) + 1));
    } else if (r.max() > r.min()) {
      int previous = -1;
      for (int k = 1; k <= r.max() - r.min(); k++) {
        previous = generatedRule(k + "?" + key, owner + "-opt" + k, atom, previous);
      }
      out.add(-(previous + 1));
    }
  }

  /** {@code name ::= atom tail | ""}, where tail is the rule itself ({@code -1}), another rule or nothing. */
  private int generatedRule(String key, String name, int[] atom, int tail) {
    Integer known = generated.get(key);
    if (known != null) {
      return known;
    }
    int id = newRule(name);
    generated.put(key, id);
    int next = tail == -1 && key.startsWith("*") ? id : tail;
    int[] first = Arrays.copyOf(atom, atom.length + (next >= 0 ? 1 : 0));
    if (next >= 0) {
      first[atom.length] = -(next + 1);
    }
    List<int[]> alts = new ArrayList<>();
    alts.add(first);
    alts.add(new int[0]);
    bodies.set(id, alts);
    return id;
  }

  // ---- character classes as UTF-8 byte sequences

  private void charClass(Expr.CharClass c, IntList out, String owner) {
    int[] ranges = normalize(c.ranges());
    if (c.negated()) {
      ranges = complement(ranges);
    }
    ranges = subtract(ranges, 0xD800, 0xDFFF);
    if (ranges.length == 0) {
      throw new GrammarException("character class in rule '" + owner + "' matches no character");
    }
    String key = "class" + Arrays.toString(ranges);
    Integer known = generated.get(key);
    if (known != null) {
      out.add(-(known + 1));
      return;
    }
    long[] ascii = new long[4];
    boolean anyAscii = false;
    List<int[][]> multi = new ArrayList<>();
    for (int i = 0; i < ranges.length; i += 2) {
      int lo = ranges[i];
      int hi = ranges[i + 1];
      if (lo <= 0x7F) {
        for (int b = lo; b <= Math.min(hi, 0x7F); b++) {
          ascii[b >>> 6] |= 1L << (b & 63);
        }
        anyAscii = true;
        lo = 0x80;
      }
      if (lo <= hi) {
        utf8Sequences(lo, hi, multi);
      }
    }
    if (multi.isEmpty()) {
      out.add(set(ascii));
      return;
    }
    List<int[]> alts = new ArrayList<>();
    if (anyAscii) {
      alts.add(new int[] {set(ascii)});
    }
    for (int[][] seq : multi) {
      int[] syms = new int[seq.length];
      for (int k = 0; k < seq.length; k++) {
        syms[k] = byteSet(seq[k][0], seq[k][1]);
      }
      alts.add(syms);
    }
    int id = newRule(owner + "-char" + names.size());
    bodies.set(id, alts);
    generated.put(key, id);
    out.add(-(id + 1));
  }

  /** Sorted, merged, clipped to Unicode. */
  private static int[] normalize(int[] r) {
    int n = r.length / 2;
    int[][] pairs = new int[n][];
    for (int i = 0; i < n; i++) {
      pairs[i] = new int[] {Math.min(r[2 * i], r[2 * i + 1]), Math.max(r[2 * i], r[2 * i + 1])};
    }
    Arrays.sort(pairs, (a, b) -> Integer.compare(a[0], b[0]));
    IntList out = new IntList();
    for (int[] p : pairs) {
      int lo = Math.max(0, p[0]);
      int hi = Math.min(0x10FFFF, p[1]);
      if (lo > hi) {
        continue;
      }
      if (out.size > 0 && lo <= out.data[out.size - 1] + 1) {
        out.data[out.size - 1] = Math.max(out.data[out.size - 1], hi);
      } else {
        out.add(lo);
        out.add(hi);
      }
    }
    return out.toArray();
  }

  private static int[] complement(int[] r) {
    IntList out = new IntList();
    int next = 0;
    for (int i = 0; i < r.length; i += 2) {
      if (r[i] > next) {
        out.add(next);
        out.add(r[i] - 1);
      }
      next = r[i + 1] + 1;
    }
    if (next <= 0x10FFFF) {
      out.add(next);
      out.add(0x10FFFF);
    }
    return out.toArray();
  }

  private static int[] subtract(int[] r, int lo, int hi) {
    IntList out = new IntList();
    for (int i = 0; i < r.length; i += 2) {
      if (r[i + 1] < lo || r[i] > hi) {
        out.add(r[i]);
        out.add(r[i + 1]);
        continue;
      }
      if (r[i] < lo) {
        out.add(r[i]);
        out.add(lo - 1);
      }
      if (r[i + 1] > hi) {
        out.add(hi + 1);
        out.add(r[i + 1]);
      }
    }
    return out.toArray();
  }

  /**
   * Appends the byte-range sequences whose UTF-8 encodings are exactly the code points
   * {@code lo..hi} (no surrogates): split where the encoded length changes, then where a
   * continuation byte would not span its full 0x80..0xBF, until each piece is a product of
   * per-byte ranges.
   */
  static void utf8Sequences(int lo, int hi, List<int[][]> out) {
    for (int max : new int[] {0x7F, 0x7FF, 0xFFFF}) {
      if (lo <= max && hi > max) {
        utf8Sequences(lo, max, out);
        utf8Sequences(max + 1, hi, out);
        return;
      }
    }
    if (hi <= 0x7F) {
      out.add(new int[][] {{lo, hi}});
      return;
    }
    for (int i = 1; i < 4; i++) {
      int m = (1 << (6 * i)) - 1;
      if ((lo & ~m) != (hi & ~m)) {
        if ((lo & m) != 0) {
          utf8Sequences(lo, lo | m, out);
          utf8Sequences((lo | m) + 1, hi, out);
          return;
        }
        if ((hi & m) != m) {
          utf8Sequences(lo, (hi & ~m) - 1, out);
          utf8Sequences(hi & ~m, hi, out);
          return;
        }
      }
    }
    byte[] a = new String(Character.toChars(lo)).getBytes(StandardCharsets.UTF_8);
    byte[] b = new String(Character.toChars(hi)).getBytes(StandardCharsets.UTF_8);
    int[][] seq = new int[a.length][];
    for (int k = 0; k < a.length; k++) {
      seq[k] = new int[] {a[k] & 0xFF, b[k] & 0xFF};
    }
    out.add(seq);
  }

  private int byteSet(int lo, int hi) {
    long[] s = new long[4];
    for (int b = lo; b <= hi; b++) {
      s[b >>> 6] |= 1L << (b & 63);
    }
    return set(s);
  }

  private int set(long[] s) {
    String key = s[0] + "," + s[1] + "," + s[2] + "," + s[3];
    Integer id = setIds.get(key);
    if (id == null) {
      id = sets.size();
      sets.add(s);
      setIds.put(key, id);
    }
    return id;
  }

  // ---- checks and layout

  private Grammar layout(int root, boolean json) {
    int n = names.size();
    boolean[] nullable = new boolean[n];
    for (boolean changed = true; changed; ) {
      changed = false;
      for (int r = 0; r < n; r++) {
        if (nullable[r]) {
          continue;
        }
        for (int[] alt : bodies.get(r)) {
          boolean all = true;
          for (int s : alt) {
            if (s >= 0 || !nullable[-s - 1]) {
              all = false;
              break;
            }
          }
          if (all) {
            nullable[r] = true;
            changed = true;
            break;
          }
        }
      }
    }
    rejectLeftRecursion(nullable);

    int total = 0;
    for (List<int[]> alts : bodies) {
      for (int[] alt : alts) {
        total += alt.length + 1;
      }
    }
    int[] symbols = new int[total];
    int[][] starts = new int[n][];
    int pos = 0;
    for (int r = 0; r < n; r++) {
      List<int[]> alts = bodies.get(r);
      starts[r] = new int[alts.size()];
      for (int a = 0; a < alts.size(); a++) {
        starts[r][a] = pos;
        int[] alt = alts.get(a);
        System.arraycopy(alt, 0, symbols, pos, alt.length);
        pos += alt.length;
        symbols[pos++] = Grammar.END;
      }
    }
    int[] ruleMin = new int[n];
    int[] shortest = new int[n];
    Arrays.fill(ruleMin, INF);
    Arrays.fill(shortest, -1);
    for (boolean changed = true; changed; ) {
      changed = false;
      for (int r = 0; r < n; r++) {
        for (int start : starts[r]) {
          int cost = 0;
          for (int p = start; symbols[p] != Grammar.END; p++) {
            cost = Math.min(INF, cost + (symbols[p] >= 0 ? 1 : ruleMin[-symbols[p] - 1]));
          }
          if (cost < ruleMin[r]) {
            ruleMin[r] = cost;
            shortest[r] = start;
            changed = true;
          }
        }
      }
    }
    for (int r = 0; r < n; r++) {
      if (ruleMin[r] >= INF) {
        throw new GrammarException("rule '" + names.get(r) + "' can never finish: every alternative refers to a rule "
            + "that leads back to it; give it an alternative that ends");
      }
    }
    int[] restMin = new int[total];
    for (int r = 0; r < n; r++) {
      for (int start : starts[r]) {
        int end = start;
        while (symbols[end] != Grammar.END) {
          end++;
        }
        int cost = 0;
        restMin[end] = 0;
        for (int p = end - 1; p >= start; p--) {
          cost = Math.min(INF, cost + (symbols[p] >= 0 ? 1 : ruleMin[-symbols[p] - 1]));
          restMin[p] = cost;
        }
      }
    }
    long[] flat = new long[sets.size() * 4];
    for (int i = 0; i < sets.size(); i++) {
      System.arraycopy(sets.get(i), 0, flat, i * 4, 4);
    }
    return new Grammar(names.toArray(new String[0]), symbols, starts, flat, root, restMin, shortest, json);
  }

  /** A rule reachable from itself without consuming a byte would make the matcher loop. */
  private void rejectLeftRecursion(boolean[] nullable) {
    int n = names.size();
    int[] color = new int[n];
    for (int r = 0; r < n; r++) {
      if (color[r] == 0) {
        Deque<Integer> path = new ArrayDeque<>();
        visit(r, nullable, color, path);
      }
    }
  }

  private void visit(int r, boolean[] nullable, int[] color, Deque<Integer> path) {
    color[r] = 1;
    path.addLast(r);
    for (int[] alt : bodies.get(r)) {
      for (int s : alt) {
        if (s >= 0) {
          break;
        }
        int next = -s - 1;
        if (color[next] == 1) {
          StringBuilder cycle = new StringBuilder();
          boolean on = false;
          for (int p : path) {
            on |= p == next;
            if (on) {
              cycle.append(names.get(p)).append(" -> ");
            }
          }
          cycle.append(names.get(next));
          throw new GrammarException("rule '" + names.get(next) + "' is left-recursive (" + cycle
              + " without consuming input); rewrite it with repetition, e.g. x ::= item (\",\" item)*");
        }
        if (color[next] == 0) {
          visit(next, nullable, color, path);
        }
        if (!nullable[next]) {
          break;
        }
      }
    }
    path.removeLast();
    color[r] = 2;
  }

  /** A growable int array. */
  static final class IntList {
    int[] data = new int[8];
    int size;

    void add(int v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    void addAll(int[] v) {
      for (int x : v) {
        add(x);
      }
    }

    int[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
