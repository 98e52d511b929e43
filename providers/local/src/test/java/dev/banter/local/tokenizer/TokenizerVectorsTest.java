package dev.banter.local.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llama.cpp's own tokenizer test vectors: every string of {@code NAME.gguf.inp} encodes (no BOS,
 * special tokens not parsed) to the ids on the matching line of {@code NAME.gguf.out}.
 */
class TokenizerVectorsTest {
  private static final byte[] SEPARATOR = "\n__ggml_vocab_test__\n".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @ValueSource(strings = {"llama-spm", "phi-3", "grok-1", "gpt-2", "falcon", "starcoder", "deepseek-llm",
      "qwen3", "llama-3", "gemma-3", "o200k-base"})
  void every_test_vector_encodes_to_llama_cpp_ids(String name) throws IOException {
    assertEncodesAsLlamaCpp(name, "tokenizer/ggml-vocab-" + name + ".gguf.inp", "tokenizer/ggml-vocab-" + name + ".gguf.out",
        30);
  }

  /**
   * Banter's own harder strings (scripts, emoji sequences, combining marks, code, whitespace runs,
   * special-token text) for the vocabularies users run most; ids written by llama.cpp as for the
   * files above (see tokenizer/README.md).
   */
  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "llama-3", "gemma-3"})
  void banter_test_vectors_encode_to_llama_cpp_ids(String name) throws IOException {
    assertEncodesAsLlamaCpp(name, "tokenizer/banter-extra.inp", "tokenizer/banter-extra." + name + ".out", 60);
  }

  private static void assertEncodesAsLlamaCpp(String name, String inp, String out, int atLeast) throws IOException {
    Tokenizer tok = Fixtures.vocab(name);
    List<byte[]> inputs = splitInputs(Files.readAllBytes(Fixtures.resource(inp)));
    String[] lines = new String(Files.readAllBytes(Fixtures.resource(out)), StandardCharsets.US_ASCII).split("\n", -1);
    List<String> expected = new ArrayList<>(Arrays.asList(lines));
    if (!expected.isEmpty() && expected.get(expected.size() - 1).isEmpty()) {
      expected.remove(expected.size() - 1);
    }
    assertEquals(expected.size(), inputs.size(), "strings in .inp vs lines in .out");
    assertTrue(inputs.size() > atLeast);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      int[] want = parseIds(expected.get(i));
      int[] got = tok.encode(inputs.get(i), false, false);
      if (!Arrays.equals(want, got)) {
        failures.add("#" + i + " " + new String(inputs.get(i), StandardCharsets.UTF_8).replace("\n", "\\n")
            + "\n  want " + Arrays.toString(want) + "\n  got  " + Arrays.toString(got));
      }
    }
    assertEquals("", String.join("\n", failures));
  }

  /** Splits as llama.cpp's test-tokenizer-0: on each separator, keeping empty strings, no trailing one. */
  static List<byte[]> splitInputs(byte[] raw) {
    List<byte[]> out = new ArrayList<>();
    int pos = 0;
    while (pos < raw.length) {
      int next = indexOf(raw, SEPARATOR, pos);
      if (next < 0) {
        out.add(Arrays.copyOfRange(raw, pos, raw.length));
        break;
      }
      out.add(Arrays.copyOfRange(raw, pos, next));
      pos = next + SEPARATOR.length;
    }
    return out;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static int[] parseIds(String line) {
    String t = line.trim();
    if (t.isEmpty()) {
      return new int[0];
    }
    return Arrays.stream(t.split(" +")).mapToInt(Integer::parseInt).toArray();
  }

  @Test
  void the_input_holding_a_carriage_return_is_kept_whole() throws IOException {
    List<byte[]> inputs = splitInputs(Files.readAllBytes(Fixtures.resource("tokenizer/ggml-vocab-grok-1.gguf.inp")));
    assertTrue(inputs.stream().anyMatch(b -> new String(b, StandardCharsets.UTF_8).endsWith("tabs\r\nand CRLF")));
  }
}
