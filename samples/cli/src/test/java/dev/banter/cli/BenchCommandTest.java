package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banter.samples.demo.DemoModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code banter bench}. The benchmark ends the process ({@code Bench.main}), so it runs in a child
 * JVM on this test's class path; the option checks before it run in-process. Only the shape of the
 * report is asserted: speed is a benchmark's business, not a test's.
 */
@Timeout(180)
class BenchCommandTest {
  @TempDir
  Path home;

  @Test
  void throughput_report_on_the_demo_model() throws Exception {
    Path model = DemoModel.extractTo(home.resolve("models"));
    String[] r = ChildBanter.run(150, "bench", "--model", model.toString(), "--threads", "1", "--prompt-tokens", "16",
        "--gen-tokens", "4", "--runs", "2", "--context", "64");
    assertEquals("0", r[0], r[1]);
    JsonNode got = new ObjectMapper().readTree(r[1]);
    assertEquals("throughput", got.get("mode").textValue());
    assertEquals(1, got.get("threads").intValue());
    assertEquals(16, got.get("prompt_tokens").intValue());
    assertEquals(2, got.get("decode_tps_runs").size());
    assertTrue(got.get("prefill_tps").doubleValue() > 0, r[1]);
    assertTrue(got.get("decode_tps").doubleValue() > 0, r[1]);
    assertTrue(got.get("ttft_ms").doubleValue() > 0, r[1]);
    assertTrue(got.get("vector").isBoolean(), r[1]);
    assertTrue(got.get("jvm").textValue().length() > 0, r[1]);
  }

  @Test
  void turns_report_reuses_the_conversation_prefix() throws Exception {
    Path model = DemoModel.extractTo(home.resolve("models"));
    String[] r = ChildBanter.run(150, "bench", "--model", model.toString(), "--threads", "1", "--turns", "3",
        "--gen-tokens", "4", "--context", "512");
    assertEquals("0", r[0], r[1]);
    JsonNode got = new ObjectMapper().readTree(r[1]);
    assertEquals("turns", got.get("mode").textValue());
    assertEquals(3, got.get("ttft_ms").size());
    assertEquals(0, got.get("cached_tokens").get(0).intValue());
    for (int t = 1; t < 3; t++) {
      int cached = got.get("cached_tokens").get(t).intValue();
      assertTrue(cached > got.get("prompt_tokens").get(t - 1).intValue() / 2, r[1]);
      assertTrue(cached < got.get("prompt_tokens").get(t).intValue(), r[1]);
    }
  }

  @Test
  void a_file_that_is_no_model_is_a_model_load_error() throws Exception {
    Path junk = Files.writeString(home.resolve("junk.gguf"), "not a model");
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.MODEL_LOAD, t.run("bench", "--model", junk.toString()));
    assertTrue(t.err.text().contains("junk.gguf"), t.err.text());
  }

  @Test
  void options_out_of_range_are_usage_errors() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("bench", "--model", "m.gguf", "--threads", "0"));
    assertEquals(ExitCode.USAGE, t.run("bench", "--model", "m.gguf", "--runs", "0"));
    assertEquals(ExitCode.USAGE, t.run("bench", "--model", "m.gguf", "--context", "1"));
    assertEquals(ExitCode.USAGE, t.run("bench"));
    assertTrue(t.err.text().contains("banter bench: Missing required option"), t.err.text());
  }
}
