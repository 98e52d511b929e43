package dev.banter.local.grammar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Random;

/** Generates with a "model" that picks any allowed token at random, then forces the completion. */
final class NoiseWalk {
  private NoiseWalk() {}

  static String generate(Grammar g, byte[][] table, TokenIndex index, Random random, int maxTokens) {
    GrammarMatcher m = new GrammarMatcher(g, index);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int step = 0; step < maxTokens; step++) {
      BitSet allowed = m.allowedTokens();
      if (allowed.isEmpty()) {
        throw new AssertionError("no token allowed after " + out.toString(StandardCharsets.UTF_8));
      }
      int pick = -1;
      int k = random.nextInt(allowed.cardinality());
      for (int t = allowed.nextSetBit(0); t >= 0; t = allowed.nextSetBit(t + 1)) {
        if (k-- == 0) {
          pick = t;
          break;
        }
      }
      if (pick == Vocabs.EOS) {
        return out.toString(StandardCharsets.UTF_8);
      }
      m.accept(pick);
      out.writeBytes(table[pick]);
    }
    for (int t : m.completionTokens()) {
      m.accept(t);
      out.writeBytes(table[t]);
    }
    if (!m.isComplete()) {
      throw new AssertionError("forced completion did not finish: " + out.toString(StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
