package dev.banter.local.grammar;

import dev.banter.local.gguf.GgufFile;
import dev.banter.local.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.BitSet;
import java.util.Random;

/**
 * Times token masking on a real 151,936-token vocabulary (Qwen3's, from the tokenizer test
 * vectors). Not a test: run by hand, e.g.
 *
 * <pre>
 * ./mvnw -q -B -o -pl providers/local -am test-compile
 * cd providers/local
 * java -cp target/classes:target/test-classes:../chat-template/target/classes:../../api/target/classes \
 *     dev.banter.local.grammar.GrammarMaskBench
 * </pre>
 *
 * Reports: building the trie; a mask for a state seen the first time (automaton cold); a mask
 * recomputed with the automaton's transitions known (the trie walk alone); applying a cached
 * mask to logits; and the mean cost per step of a random walk through a JSON schema, which
 * is what a generation pays.
 */
public final class GrammarMaskBench {
  private GrammarMaskBench() {}

  public static void main(String[] args) throws Exception {
    Path vocab = Paths.get(args.length > 0 ? args[0] : "src/test/resources/tokenizer/ggml-vocab-qwen3.gguf");
    Tokenizer tok;
    try (GgufFile f = GgufFile.open(vocab)) {
      tok = Tokenizer.from(f);
    }
    long t0 = System.nanoTime();
    TokenIndex index = TokenIndex.of(tok);
    long t1 = System.nanoTime();
    System.out.printf("vocabulary %d tokens, trie %d nodes, built in %.1f ms%n", index.vocabSize(), index.nodeCount(),
        (t1 - t0) / 1e6);
    String schema = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\","
        + "\"minimum\":0,\"maximum\":150},\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
        + "\"address\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}},"
        + "\"required\":[\"name\",\"age\",\"tags\"]}";
    Grammar g = Grammar.fromJsonSchema(schema);
    String[] prefixes = {"", "{\"name\": \"Jo", "{\"name\": \"Jo\", \"age\": 4", "{\"name\": \"Jo\", \"age\": 42, \"tags\": ["};
    float[] logits = new float[index.vocabSize()];
    for (String p : prefixes) {
      int reps = Integer.getInteger("reps", 20);
      long cold = 0;
      long walk = 0;
      long apply = 0;
      int allowed = 0;
      for (int i = 0; i < reps + 5; i++) {
        GrammarMatcher m = new GrammarMatcher(g, index);
        m.acceptBytes(p.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long a = System.nanoTime();
        m.maskLogits(logits);
        long b = System.nanoTime();
        m.dropMasks();
        m.maskLogits(logits);
        long c = System.nanoTime();
        allowed = m.maskLogits(logits);
        long d = System.nanoTime();
        if (i >= 5) {
          cold += b - a;
          walk += c - b;
          apply += d - c;
        }
      }
      System.out.printf("after %-40s %6d allowed: cold %8.0f us, trie walk %8.0f us, cached mask applied %6.0f us%n",
          "'" + p + "'", allowed, cold / 1e3 / reps, walk / 1e3 / reps, apply / 1e3 / reps);
    }
    // A generation: random allowed tokens, a full mask every step.
    Random random = new Random(1);
    for (int round = 0; round < 3; round++) {
      GrammarMatcher m = new GrammarMatcher(g, index);
      int steps = 0;
      long total = 0;
      while (steps < 400) {
        long a = System.nanoTime();
        m.maskLogits(logits);
        total += System.nanoTime() - a;
        BitSet ok = m.allowedTokens();
        ok.clear(index.eog.nextSetBit(0) < 0 ? 0 : index.eog.nextSetBit(0));
        if (ok.isEmpty()) {
          break;
        }
        // Prefer short tokens, as a model writing JSON mostly does.
        int pick = -1;
        for (int tries = 0; tries < 50 && pick < 0; tries++) {
          int t = ok.nextSetBit(random.nextInt(index.vocabSize()));
          if (t >= 0 && index.bytes[t].length <= 4) {
            pick = t;
          }
        }
        if (pick < 0) {
          pick = ok.nextSetBit(0);
        }
        m.accept(pick);
        steps++;
      }
      System.out.printf("random walk %d: %d steps, mean mask %.0f us per step, %d automaton states%n", round, steps,
          total / 1e3 / steps, m.stateCount());
    }
  }
}
