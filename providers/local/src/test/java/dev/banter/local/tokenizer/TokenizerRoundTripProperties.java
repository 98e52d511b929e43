package dev.banter.local.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * decode(encode(s)) for arbitrary Unicode text, with the exact relation where a tokenizer is
 * lossy (see the {@link Tokenizer} class documentation).
 */
class TokenizerRoundTripProperties {
  /** Text mixing ASCII words, spaces and newlines, Latin-1, any BMP code point and astral ones. */
  @Provide
  Arbitrary<String> text() {
    Arbitrary<Integer> cp = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(0x20, 0x0A, 0x09, 0x0D, 0x2581, 0x00A0, 0x3000)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x00, 0x1F)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0x24F)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x250, 0xFFFD)
            .filter(c -> c < 0xD800 || c > 0xDFFF)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    return cp.list().ofMaxSize(40).map(list -> {
      StringBuilder sb = new StringBuilder();
      list.forEach(sb::appendCodePoint);
      return sb.toString();
    });
  }

  @Property(tries = 300)
  void sentencepiece_round_trip_turns_only_the_vocabulary_space_into_a_space(@ForAll("text") String s) {
    Tokenizer tok = Fixtures.vocab("llama-spm");
    assertEquals(s.replace('\u2581', ' '), tok.decode(tok.encode(s, false, false)));
  }

  @Property(tries = 300)
  void sentencepiece_round_trip_with_bos_removes_nothing_else(@ForAll("text") String s) {
    Tokenizer tok = Fixtures.vocab("llama-spm");
    int[] ids = tok.encode(s, true, false);
    assertEquals(1, ids[0]);
    assertEquals(s.replace('\u2581', ' '), tok.decode(java.util.Arrays.copyOfRange(ids, 1, ids.length)));
  }

  @Property(tries = 300)
  void gpt2_round_trip_equals_the_clean_up_of_the_text(@ForAll("text") String s) {
    Tokenizer tok = Fixtures.vocab("gpt-2");
    assertEquals(Tokenizer.cleanUpSpaces(s), tok.decode(tok.encode(s, false, false)));
  }

  @Property(tries = 300)
  void deepseek_round_trip_keeps_every_byte_it_can_spell(@ForAll("text") String s) {
    assertEquals(expectedBpe("deepseek-llm", s, false), decodeEncode("deepseek-llm", s));
  }

  @Property(tries = 200)
  void starcoder_round_trip_keeps_every_byte_it_can_spell_then_cleans_up(@ForAll("text") String s) {
    assertEquals(expectedBpe("starcoder", s, true), decodeEncode("starcoder", s));
  }

  @Property(tries = 200)
  void falcon_round_trip_keeps_every_byte_it_can_spell_then_cleans_up(@ForAll("text") String s) {
    assertEquals(expectedBpe("falcon", s, true), decodeEncode("falcon", s));
  }

  private static String decodeEncode(String vocab, String s) {
    Tokenizer tok = Fixtures.vocab(vocab);
    return tok.decode(tok.encode(s, false, false));
  }

  /**
   * The text a byte-level BPE round trip gives: the UTF-8 of {@code s} without the bytes whose
   * byte-level symbol the vocabulary lacks (llama.cpp drops them), cleaned up if the vocabulary
   * asks for it, decoded with U+FFFD for what the dropped bytes left ill-formed.
   */
  private static String expectedBpe(String vocab, String s, boolean cleanUp) {
    boolean[] spells = SPELLS.computeIfAbsent(vocab, v -> {
      Tokenizer tok = Fixtures.vocab(v);
      java.util.Set<String> texts = new java.util.HashSet<>();
      for (int id = 0; id < tok.vocabSize(); id++) {
        texts.add(tok.tokenText(id));
      }
      boolean[] ok = new boolean[256];
      for (int b = 0; b < 256; b++) {
        ok[b] = texts.contains(new String(Character.toChars(ByteLevel.codepoint(b))));
      }
      return ok;
    });
    ByteList kept = new ByteList(16);
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      if (spells[b & 0xFF]) {
        kept.add(b);
      }
    }
    byte[] bytes = cleanUp ? Tokenizer.cleanUp(kept.toArray()) : kept.toArray();
    StringBuilder sb = new StringBuilder();
    Utf8.decode(bytes, 0, bytes.length, sb);
    return sb.toString();
  }

  private static final java.util.Map<String, boolean[]> SPELLS = new java.util.concurrent.ConcurrentHashMap<>();

  @net.jqwik.api.Example
  void the_bpe_vocabularies_lack_only_a_few_byte_symbols() {
    for (String v : new String[] {"gpt-2", "deepseek-llm", "starcoder", "falcon"}) {
      expectedBpe(v, "", false);
      int missing = 0;
      for (boolean b : SPELLS.get(v)) {
        missing += b ? 0 : 1;
      }
      org.junit.jupiter.api.Assertions.assertTrue(missing < 40, v + " lacks " + missing);
    }
    int gpt2Missing = 0;
    for (boolean b : SPELLS.get("gpt-2")) {
      gpt2Missing += b ? 0 : 1;
    }
    assertEquals(0, gpt2Missing);
  }
}
