package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banter.cli.tools.Eval;
import dev.banter.samples.demo.DemoModel;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter eval} and its entry point {@link Eval}, in-process, against llama.cpp's numbers. */
@Timeout(120)
class EvalCommandTest {
  @TempDir
  Path home;

  private JsonNode ref;
  private Path model;

  @BeforeEach
  void reference() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/reference/banter-demo-fortunes-q8_0.joke.json")) {
      ref = new ObjectMapper().readTree(in);
    }
    model = DemoModel.extractTo(home.resolve("models"));
  }

  @Test
  void eval_prints_llama_cpp_s_prompt_and_greedy_tokens_and_dumps_one_row_of_logits_per_prompt_token()
      throws Exception {
    Path logits = home.resolve("prompt.f32");
    TestIo t = new TestIo(home);
    int code = t.run("eval", "--model", model.toString(), "--prompt", ref.get("prompt").textValue(), "--greedy",
        String.valueOf(ref.get("greedy_tokens").size()), "--dump-logits", logits.toString(), "--threads", "1");
    assertEquals(ExitCode.OK, code, t.err.text());
    JsonNode got = new ObjectMapper().readTree(t.out.text());
    assertEquals(ref.get("prompt_tokens"), got.get("prompt_tokens"));
    assertEquals(ref.get("greedy_tokens"), got.get("greedy_tokens"));
    int vocab = ref.get("n_vocab").asInt();
    assertEquals((long) ref.get("prompt_tokens").size() * vocab * Float.BYTES, Files.size(logits));
    float[] dumped = new float[ref.get("prompt_tokens").size() * vocab];
    ByteBuffer.wrap(Files.readAllBytes(logits)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dumped);
    float[] typed = Eval.run(new Eval.Settings(model, ref.get("prompt").textValue(), false, 0, true, 1))
        .promptLogits().orElseThrow();
    assertEquals(typed.length, dumped.length);
    for (int i = 0; i < typed.length; i++) {
      assertEquals(typed[i], dumped[i], 0f, "logit " + i);
    }
  }

  @Test
  void greedy_decoding_stops_at_end_of_generation_and_keeps_that_token() {
    int[] greedy = Eval.run(new Eval.Settings(model, ref.get("prompt").textValue(), false, 100, false, 1))
        .greedyTokens();
    assertEquals(ref.get("greedy_tokens").size(), greedy.length, "the reference ends with EOS (2)");
    assertEquals(2, greedy[greedy.length - 1]);
  }

  @Test
  void a_file_that_is_no_model_is_a_model_load_error() throws Exception {
    Path junk = Files.writeString(home.resolve("junk.gguf"), "not a model");
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.MODEL_LOAD, t.run("eval", "--model", junk.toString(), "--prompt", "hi"));
    assertTrue(t.err.text().contains("junk.gguf"), t.err.text());
  }

  @Test
  void options_out_of_range_are_usage_errors() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("eval", "--model", "m.gguf", "--prompt", "hi", "--greedy", "-1"));
    assertEquals(ExitCode.USAGE, t.run("eval", "--model", "m.gguf", "--prompt", "hi", "--threads", "0"));
    assertEquals(ExitCode.USAGE, t.run("eval", "--prompt", "hi"));
    assertTrue(t.err.text().contains("banter eval: Missing required option"), t.err.text());
  }
}
