package dev.banter.local.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prompts of the logits fixtures tokenize, with each model's own vocabulary, to the
 * {@code prompt_tokens} llama.cpp used: BOS as the metadata says, special tokens parsed in the
 * chat prompts only.
 */
class PromptTokensTest {
  static Stream<String> fixtures() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(Fixtures.resource("logits"))) {
      s.map(p -> "logits/" + p.getFileName()).filter(n -> n.endsWith(".json")).sorted().forEach(names::add);
    }
    names.add("models/banter-demo-fortunes-q8_0.joke.json");
    return names.stream();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void prompt_tokens_match_llama_cpp(String fixture) throws IOException {
    String json = new String(Files.readAllBytes(Fixtures.resource(fixture)), StandardCharsets.UTF_8);
    String model = jsonString(json, "model");
    String prompt = jsonString(json, "prompt");
    int[] expected = jsonInts(json, "prompt_tokens");
    String dir = fixture.startsWith("models/") ? "models/" : "gguf/";
    Tokenizer tok = Fixtures.of(dir + model);
    boolean chat = fixture.contains(".chat.");
    assertArrayEquals(expected, tok.encode(prompt, true, chat), fixture);
    if (!chat) {
      assertEquals(prompt, tok.decode(Arrays.copyOfRange(expected, 1, expected.length)), fixture);
    }
  }

  /** The string value of {@code key}, with JSON escapes undone. */
  static String jsonString(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"").matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("no string " + key);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = m.end(); ; i++) {
      char c = json.charAt(i);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = json.charAt(++i);
      switch (e) {
        case 'n': sb.append('\n'); break;
        case 't': sb.append('\t'); break;
        case 'r': sb.append('\r'); break;
        case 'b': sb.append('\b'); break;
        case 'f': sb.append('\f'); break;
        case 'u': sb.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16)); i += 4; break;
        default: sb.append(e); break;
      }
    }
  }

  static int[] jsonInts(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("no array " + key);
    }
    return Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .mapToInt(Integer::parseInt).toArray();
  }
}
