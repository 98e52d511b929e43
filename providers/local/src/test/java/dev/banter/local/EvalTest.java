package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.local.template.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Eval command against llama.cpp's reference files. */
class EvalTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int eval(String... args) {
    return Eval.run(args, new PrintStream(out, true), new PrintStream(err, true));
  }

  private Map<?, ?> reference(String base) throws Exception {
    byte[] json = Files.readAllBytes(Demo.resource(base + ".json"));
    return (Map<?, ?>) Json.parse(new String(json, StandardCharsets.UTF_8));
  }

  private static float[] floats(byte[] raw) {
    float[] f = new float[raw.length / 4];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  @Test
  void eval_prints_the_prompt_and_greedy_tokens_and_dumps_the_prompt_logits_as_llama_cpp_does() throws Exception {
    Map<?, ?> ref = reference("logits/tiny-llama-f32.story");
    Path dump = dir.resolve("story.f32");
    int status = eval("--model", Demo.resource("gguf/tiny-llama-f32.gguf").toString(), "--prompt",
        (String) ref.get("prompt"), "--greedy", "32", "--dump-logits", dump.toString(), "--threads", "2");
    assertEquals(0, status, err.toString());
    Map<?, ?> json = (Map<?, ?>) Json.parse(out.toString(StandardCharsets.UTF_8.name()).trim());
    assertEquals(numbers(ref.get("prompt_tokens")), numbers(json.get("prompt_tokens")));
    assertEquals(numbers(ref.get("greedy_tokens")), numbers(json.get("greedy_tokens")));
    float[] expected = floats(Files.readAllBytes(Demo.resource("logits/tiny-llama-f32.story.prompt_logits.f32")));
    float[] actual = floats(Files.readAllBytes(dump));
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-3, "logit " + i);
    }
  }

  @Test
  void special_parses_control_tokens_in_the_prompt() throws Exception {
    Map<?, ?> ref = reference("logits/tiny-qwen2-f32.chat");
    assertEquals(0, eval("--model", Demo.resource("gguf/tiny-qwen2-f32.gguf").toString(), "--prompt",
        (String) ref.get("prompt"), "--special", "--greedy", "24"), err.toString());
    Map<?, ?> json = (Map<?, ?>) Json.parse(out.toString(StandardCharsets.UTF_8.name()).trim());
    assertEquals(numbers(ref.get("prompt_tokens")), numbers(json.get("prompt_tokens")));
    assertEquals(numbers(ref.get("greedy_tokens")), numbers(json.get("greedy_tokens")));
  }

  @Test
  void greedy_decoding_ends_after_the_end_of_generation_token() throws Exception {
    Map<?, ?> ref = reference("models/banter-demo-fortunes-q8_0.joke");
    assertEquals(0, eval("--model", Demo.model().toString(), "--prompt", (String) ref.get("prompt"),
        "--greedy", "100"), err.toString());
    Map<?, ?> json = (Map<?, ?>) Json.parse(out.toString(StandardCharsets.UTF_8.name()).trim());
    assertEquals(numbers(ref.get("greedy_tokens")), numbers(json.get("greedy_tokens")));
  }

  @Test
  void missing_arguments_are_a_usage_error() {
    assertEquals(2, eval("--prompt", "hi"));
    assertTrue(err.toString().contains("--model"), err.toString());
  }

  @Test
  void a_bad_number_is_a_usage_error_naming_it() {
    assertEquals(2, eval("--model", "m.gguf", "--prompt", "hi", "--greedy", "many"));
    assertTrue(err.toString().contains("many"), err.toString());
  }

  @Test
  void an_unreadable_model_fails_with_status_1_and_its_path() {
    Path missing = dir.resolve("missing.gguf");
    assertEquals(1, eval("--model", missing.toString(), "--prompt", "hi"));
    assertTrue(err.toString().contains(missing.toString()), err.toString());
  }

  private static List<Long> numbers(Object list) {
    List<Long> out = new java.util.ArrayList<>();
    for (Object o : (List<?>) list) {
      out.add(((Number) o).longValue());
    }
    return out;
  }
}
