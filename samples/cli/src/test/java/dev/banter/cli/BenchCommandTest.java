package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banter.samples.demo.DemoModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code banter bench}, in-process. Only the shape of the report is asserted: speed is a
 * benchmark's business, not a test's.
 */
@Timeout(180)
class BenchCommandTest {
  @TempDir
  Path home;

  private JsonNode bench(String... args) throws Exception {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.OK, t.run(args), t.err.text());
    return new ObjectMapper().readTree(t.out.text());
  }

  @Test
  void throughput_report_holds_medians_and_the_figures_of_every_run() throws Exception {
    Path model = DemoModel.extractTo(home.resolve("models"));
    JsonNode got = bench("bench", "--model", model.toString(), "--threads", "1", "--prompt-tokens", "16",
        "--gen-tokens", "4", "--runs", "3", "--context", "64");
    assertEquals("throughput", got.get("mode").textValue());
    assertEquals("banter-demo-fortunes-q8_0.gguf", got.get("model").textValue());
    assertEquals("Q8_0", got.get("type").textValue());
    assertEquals(1, got.get("threads").intValue());
    assertEquals(64, got.get("context").intValue());
    assertEquals(16, got.get("batch").intValue(), "the prompt is one batch");
    assertEquals(16, got.get("prompt_tokens").intValue());
    for (String key : new String[] {"prefill_tps", "decode_tps", "ttft_ms"}) {
      JsonNode runs = got.get(key + "_runs");
      assertEquals(3, runs.size(), key);
      double[] v = {runs.get(0).doubleValue(), runs.get(1).doubleValue(), runs.get(2).doubleValue()};
      java.util.Arrays.sort(v);
      assertEquals(v[1], got.get(key).doubleValue(), 1e-9, key + " is the median of " + runs);
      assertTrue(v[0] > 0, key);
    }
    assertTrue(got.get("vector").isBoolean(), got.toString());
    assertTrue(got.get("direct_loads").isBoolean(), got.toString());
    int bits = got.get("vector_bits").asInt();
    assertTrue(got.get("vector").asBoolean() ? bits == 128 || bits == 256 || bits == 512 : bits == 0, got.toString());
    assertTrue(List.of("scalar", "vector", "vector+direct").contains(got.get("kernels").asText()), got.toString());
    assertEquals(got.get("vector").asBoolean(), !got.get("kernels").asText().equals("scalar"), got.toString());
    assertTrue(got.get("jvm").textValue().contains(System.getProperty("java.vm.version")), got.toString());
    assertTrue(got.get("heap_used_mb").doubleValue() > 0, got.toString());
  }

  @Test
  void turns_report_reuses_the_conversation_prefix() throws Exception {
    Path model = DemoModel.extractTo(home.resolve("models"));
    JsonNode got = bench("bench", "--model", model.toString(), "--threads", "1", "--turns", "3",
        "--gen-tokens", "4", "--context", "512");
    assertEquals("turns", got.get("mode").textValue());
    assertEquals(3, got.get("ttft_ms").size());
    assertEquals(0, got.get("cached_tokens").get(0).intValue(), "the measured chat starts on an empty cache");
    for (int t = 1; t < 3; t++) {
      int cached = got.get("cached_tokens").get(t).intValue();
      assertTrue(cached > got.get("prompt_tokens").get(t - 1).intValue() / 2, got.toString());
      assertTrue(cached < got.get("prompt_tokens").get(t).intValue(), got.toString());
    }
    assertTrue(got.get("ttft_last_over_first").doubleValue() > 0, got.toString());
  }

  @Test
  void concurrency_report_gives_the_aggregate_rate_beside_each_requests() throws Exception {
    Path model = DemoModel.extractTo(home.resolve("models"));
    JsonNode got = bench("bench", "--model", model.toString(), "--threads", "1", "--concurrency", "3",
        "--prompt-tokens", "12", "--gen-tokens", "6", "--runs", "2", "--context", "256");
    assertEquals("concurrency", got.get("mode").textValue());
    assertEquals(3, got.get("concurrency").intValue());
    assertEquals(2, got.get("aggregate_decode_tps_runs").size());
    assertEquals(6, got.get("decode_tps_requests").size(), "every request of every run");
    assertTrue(got.get("aggregate_decode_tps").doubleValue() > 0, got.toString());
    assertTrue(got.get("decode_tps").doubleValue() > 0, got.toString());
    assertTrue(got.get("vector_bits").isInt(), got.toString());

    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("bench", "--model", model.toString(), "--concurrency", "2", "--turns", "2"));
    assertEquals(ExitCode.USAGE, new TestIo(home).run("bench", "--model", model.toString(), "--concurrency", "0"));
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
    assertEquals(ExitCode.USAGE, t.run("bench", "--model", "m.gguf", "--runs", "many"));
    assertEquals(ExitCode.USAGE, t.run("bench"));
    assertTrue(t.err.text().contains("give the model to measure with --model, or a server with --url"), t.err.text());
  }
}
