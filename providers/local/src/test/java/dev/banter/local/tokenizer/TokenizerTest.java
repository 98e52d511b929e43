package dev.banter.local.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ModelLoadException;
import dev.banter.local.gguf.GgufMetadata;
import dev.banter.local.gguf.GgufValue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenizerTest {
  private final Tokenizer tiny = Fixtures.of("gguf/tiny-llama-f32.gguf");

  @Test
  void control_tokens_are_parsed_from_text_only_when_asked() {
    assertArrayEquals(new int[] {638}, tiny.encode("<|im_start|>", false, true));
    int[] plain = tiny.encode("<|im_start|>", false, false);
    assertFalse(Arrays.stream(plain).anyMatch(id -> id == 638), Arrays.toString(plain));
  }

  @Test
  void user_defined_tokens_are_always_parsed_and_phi3_strips_the_space_after_them() {
    Tokenizer phi3 = Fixtures.vocab("phi-3");
    int[] ids = phi3.encode("a</s>   b", false, false);
    assertTrue(Arrays.stream(ids).anyMatch(id -> id == 2), Arrays.toString(ids));
    assertEquals("a</s> b", phi3.decode(ids));
  }

  @Test
  void bos_and_eos_follow_the_vocabulary_flags() {
    assertEquals(1, tiny.encode("Hi", true, false)[0]);
    assertTrue(tiny.addsBos());
    assertFalse(tiny.addsEos());
    Tokenizer gpt2 = Fixtures.vocab("gpt-2");
    assertArrayEquals(gpt2.encode("Hi", false, false), gpt2.encode("Hi", true, false));
  }

  @Test
  void end_of_generation_covers_eos_and_end_of_turn_tokens() {
    assertTrue(tiny.isEog(2));
    assertTrue(tiny.isEog(639), "<|im_end|> ends a turn");
    assertFalse(tiny.isEog(638));
    assertFalse(tiny.isEog(1));
    assertEquals(639, tiny.eot().getAsInt());
    assertTrue(Fixtures.vocab("gpt-2").isEog(50256));
  }

  @Test
  void decode_hides_control_tokens_unless_asked_and_remove_special_drops_bos() {
    int[] ids = tiny.encode("<|im_start|>user", true, true);
    assertEquals(" user", tiny.decode(ids));
    assertEquals("<s><|im_start|> user", tiny.decode(ids, false, true));
    assertEquals("<|im_start|> user", tiny.decode(ids, true, true));
  }

  @Test
  void byte_tokens_decode_to_their_bytes_and_stream_whole_characters_only() {
    Tokenizer spm = Fixtures.vocab("llama-spm");
    int[] ids = spm.encode("🦙", false, false);
    assertEquals("🦙", spm.decode(ids));
    StreamingDecoder d = spm.newStreamingDecoder(false);
    StringBuilder seen = new StringBuilder();
    for (int id : ids) {
      String part = d.append(id);
      assertTrue(part.isEmpty() || part.codePoints().allMatch(Character::isValidCodePoint));
      seen.append(part);
    }
    assertFalse(d.hasPending());
    assertEquals(" 🦙", seen.toString());
    assertEquals("<0xF0>", spm.tokenText(ids[ids.length - 4]));
  }

  @Test
  void a_stream_cut_inside_a_character_ends_with_a_replacement_character() {
    Tokenizer spm = Fixtures.vocab("llama-spm");
    int f0 = spm.encode(new byte[] {(byte) 0xF0}, false, false)[1];
    StreamingDecoder d = spm.newStreamingDecoder(false);
    assertEquals("", d.append(f0));
    assertTrue(d.hasPending());
    assertEquals("\uFFFD", d.finish());
  }

  @Test
  void clean_up_follows_llama_cpp() {
    assertEquals("Hello, world! It's a test.'quoted' we're", Tokenizer.cleanUpSpaces(
        "Hello , world ! It 's a test . ' quoted' we 're"));
  }

  @Test
  void vocabularies_without_a_tokenizer_or_of_an_unknown_kind_are_refused() {
    Map<String, GgufValue> md = new LinkedHashMap<>();
    ModelLoadException none = assertThrows(ModelLoadException.class, () -> Tokenizer.from(GgufMetadata.of("m.gguf", md)));
    assertTrue(none.getMessage().contains("tokenizer.ggml.model"), none.getMessage());
    md.put("tokenizer.ggml.model", GgufValue.ofString("t5"));
    md.put("tokenizer.ggml.tokens", GgufValue.ofStringArray(List.of("a")));
    ModelLoadException t5 = assertThrows(ModelLoadException.class, () -> Tokenizer.from(GgufMetadata.of("m.gguf", md)));
    assertTrue(t5.getMessage().contains("'t5' is not supported"), t5.getMessage());
  }

  @Test
  void a_tiny_in_memory_bpe_vocabulary_merges_by_rank() {
    Map<String, GgufValue> md = new LinkedHashMap<>();
    md.put("tokenizer.ggml.model", GgufValue.ofString("gpt2"));
    md.put("tokenizer.ggml.pre", GgufValue.ofString("gpt-2"));
    md.put("tokenizer.ggml.tokens", GgufValue.ofStringArray(List.of("a", "b", "c", "ab", "bc", "abc", "Ġ")));
    md.put("tokenizer.ggml.merges", GgufValue.ofStringArray(List.of("b c", "a b", "a bc")));
    Tokenizer tok = Tokenizer.from(GgufMetadata.of("mem", md));
    assertArrayEquals(new int[] {5}, tok.encode("abc", false, false));
    assertArrayEquals(new int[] {3}, tok.encode("ab", false, false));
    assertArrayEquals(new int[] {0, 6, 5}, tok.encode("a abc", false, false));
  }

  @Test
  void token_ids_outside_the_vocabulary_are_rejected() {
    assertThrows(IllegalArgumentException.class, () -> tiny.decode(new int[] {640}));
    assertThrows(IllegalArgumentException.class, () -> tiny.tokenBytes(-1));
    assertFalse(tiny.isEog(-1));
  }
}
