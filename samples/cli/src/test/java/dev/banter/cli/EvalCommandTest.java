package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banter.samples.demo.DemoModel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code banter eval}. The evaluation itself ends the process ({@code Eval.main}), so it runs in
 * a child JVM on this test's class path; the option checks before it run in-process.
 */
@Timeout(120)
class EvalCommandTest {
  @TempDir
  Path home;

  @Test
  void eval_matches_llama_cpp_on_the_demo_model() throws Exception {
    JsonNode ref;
    try (InputStream in = getClass().getResourceAsStream("/reference/banter-demo-fortunes-q8_0.joke.json")) {
      ref = new ObjectMapper().readTree(in);
    }
    Path model = DemoModel.extractTo(home.resolve("models"));
    Path logits = home.resolve("prompt.f32");
    String[] r = ChildBanter.run(90, "eval", "--model", model.toString(), "--prompt", ref.get("prompt").textValue(),
        "--greedy", String.valueOf(ref.get("greedy_tokens").size()), "--dump-logits", logits.toString());
    assertEquals("0", r[0], r[1]);
    JsonNode got = new ObjectMapper().readTree(r[1]);
    assertEquals(ref.get("prompt_tokens"), got.get("prompt_tokens"));
    assertEquals(ref.get("greedy_tokens"), got.get("greedy_tokens"));
    assertEquals((long) ref.get("prompt_tokens").size() * ref.get("n_vocab").asInt() * Float.BYTES, Files.size(logits));
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
