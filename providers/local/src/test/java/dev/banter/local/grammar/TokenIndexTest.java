package dev.banter.local.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.local.TestResources;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Token indexes of real vocabularies: byte-fallback pieces, special tokens, end of generation. */
class TokenIndexTest {
  private static Tokenizer load(String name) {
    try (GgufFile f = GgufFile.open(TestResources.path("tokenizer/ggml-vocab-" + name + ".gguf"))) {
      return Tokenizer.from(f);
    }
  }

  @Test
  void byte_fallback_pieces_spell_a_character_the_vocabulary_has_no_token_for() {
    Tokenizer spm = load("llama-spm");
    TokenIndex index = TokenIndex.of(spm);
    assertSame(index, TokenIndex.of(spm), "one index per tokenizer");
    Grammar g = Grammar.parse("root ::= \"x\" [^a-z] \"y\"");
    GrammarMatcher m = new GrammarMatcher(g, index);
    int x = id(spm, "x");
    assertFalse(m.allows(id(spm, "▁x")), "a SentencePiece word start is a space here");
    m.accept(x);
    // 😀 is F0 9F 98 80; SentencePiece spells it with <0xF0> <0x9F> <0x98> <0x80>.
    for (String piece : new String[] {"<0xF0>", "<0x9F>", "<0x98>", "<0x80>"}) {
      int id = id(spm, piece);
      assertTrue(m.allows(id), piece);
      m.accept(id);
    }
    assertFalse(m.isComplete());
    assertTrue(m.acceptBytes("y".getBytes(StandardCharsets.UTF_8)));
    assertTrue(m.isComplete());
  }

  @Test
  void control_tokens_are_never_allowed_and_end_of_generation_only_when_complete() {
    Tokenizer qwen = load("qwen3");
    TokenIndex index = TokenIndex.of(qwen);
    GrammarMatcher m = new GrammarMatcher(Grammar.jsonObject(), index);
    int imStart = qwen.encode("<|im_start|>", false, true)[0];
    int imEnd = qwen.encode("<|im_end|>", false, true)[0];
    assertTrue(qwen.isControl(imStart));
    assertTrue(qwen.isEog(imEnd));
    BitSet start = m.allowedTokens();
    assertFalse(start.get(imStart));
    assertFalse(start.get(imEnd));
    assertTrue(m.acceptBytes("{\"a\": \"".getBytes(StandardCharsets.UTF_8)));
    BitSet inString = m.allowedTokens();
    assertFalse(inString.get(imStart), "not even inside a string, where any text goes");
    assertTrue(inString.cardinality() > 100_000, "almost every token fits in a string: " + inString.cardinality());
    assertTrue(m.acceptBytes("\"}".getBytes(StandardCharsets.UTF_8)));
    BitSet done = m.allowedTokens();
    assertTrue(done.get(imEnd));
    assertFalse(done.get(imStart));
    for (int t = done.nextSetBit(0); t >= 0; t = done.nextSetBit(t + 1)) {
      assertTrue(qwen.isEog(t) || qwen.textBytes(t).length > 0 && (qwen.textBytes(t)[0] == ' '
          || qwen.textBytes(t)[0] == '\n'), "after the object only whitespace or the end: " + qwen.tokenText(t));
    }
    assertEquals(index.vocabSize(), qwen.vocabSize());
  }

  private static int id(Tokenizer t, String text) {
    for (int i = 0; i < t.vocabSize(); i++) {
      if (t.tokenText(i).equals(text)) {
        return i;
      }
    }
    throw new AssertionError("no token " + text);
  }
}
