package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.local.tensor.WeightMatrix;
import dev.banter.local.template.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Bench command's output on the tiny fixtures (its figures are not checked: speed is not a test). */
class BenchTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int bench(String... args) {
    return Bench.run(args, new PrintStream(out, true), new PrintStream(err, true));
  }

  private Map<?, ?> json() throws Exception {
    String text = out.toString(StandardCharsets.UTF_8.name()).trim();
    assertEquals(1, text.split("\n").length, "one line: " + text);
    return (Map<?, ?>) Json.parse(text);
  }

  private static double number(Map<?, ?> json, String key) {
    assertTrue(json.get(key) instanceof Number, key + " should be a number: " + json);
    return ((Number) json.get(key)).doubleValue();
  }

  private static List<?> array(Map<?, ?> json, String key, int length) {
    assertTrue(json.get(key) instanceof List, key + " should be an array: " + json);
    List<?> list = (List<?>) json.get(key);
    assertEquals(length, list.size(), key);
    for (Object o : list) {
      assertTrue(o instanceof Number, key + ": " + list);
    }
    return list;
  }

  @Test
  void throughput_prints_one_json_object_with_medians_and_the_figures_of_every_run() throws Exception {
    int status = bench("--model", Demo.resource("gguf/tiny-llama-q8_0.gguf").toString(), "--threads", "2",
        "--prompt-tokens", "12", "--gen-tokens", "4", "--runs", "3", "--context", "64");
    assertEquals(0, status, err.toString());
    Map<?, ?> json = json();
    assertEquals("throughput", json.get("mode"));
    assertEquals("tiny-llama-q8_0.gguf", json.get("model"));
    assertEquals("Q8_0", json.get("type"));
    assertEquals(WeightMatrix.vectorized(), json.get("vector"));
    assertTrue(((String) json.get("jvm")).contains(System.getProperty("java.vm.version")), json.toString());
    assertEquals(2.0, number(json, "threads"));
    assertEquals(64.0, number(json, "context"));
    assertEquals(12.0, number(json, "batch"), "the prompt is one batch");
    for (String key : new String[] {"prefill_tps", "decode_tps", "ttft_ms"}) {
      assertTrue(number(json, key) > 0, key);
      List<?> runs = array(json, key + "_runs", 3);
      double[] values = new double[3];
      for (int i = 0; i < 3; i++) {
        values[i] = ((Number) runs.get(i)).doubleValue();
      }
      assertEquals(Bench.median(values), number(json, key), 1e-3, key + " is the median of " + runs);
    }
    for (String key : new String[] {"rss_mb", "heap_used_mb", "load_average"}) {
      number(json, key);
    }
    assertTrue(number(json, "heap_used_mb") > 0);
  }

  @Test
  void turns_report_every_turns_time_to_first_token_and_reuse_the_history_after_the_first() throws Exception {
    int status = bench("--model", Demo.model().toString(), "--threads", "2", "--turns", "3", "--user-tokens", "6",
        "--gen-tokens", "4", "--context", "256");
    assertEquals(0, status, err.toString());
    Map<?, ?> json = json();
    assertEquals("turns", json.get("mode"));
    array(json, "ttft_ms", 3);
    List<?> prompts = array(json, "prompt_tokens", 3);
    List<?> cached = array(json, "cached_tokens", 3);
    assertEquals(0L, ((Number) cached.get(0)).longValue(), "the warm-up shares only the system prompt: " + json);
    for (int t = 1; t < 3; t++) {
      long previous = ((Number) prompts.get(t - 1)).longValue();
      assertTrue(((Number) prompts.get(t)).longValue() > previous, "the history grows: " + json);
      assertTrue(((Number) cached.get(t)).longValue() >= previous - 2, "turn " + t + " reuses the history: " + json);
    }
    assertTrue(number(json, "ttft_last_over_first") > 0);
  }

  @Test
  void a_missing_model_or_a_bad_number_is_a_usage_error() {
    assertEquals(2, bench("--threads", "2"));
    assertTrue(err.toString().contains("--model is required"), err.toString());
    assertEquals(2, bench("--model", "x.gguf", "--runs", "many"));
    assertTrue(err.toString().contains("--runs needs a whole number"), err.toString());
    assertEquals(2, bench("--model", "x.gguf", "--threads", "0"));
    assertEquals(2, bench("--model", "x.gguf", "--frobnicate", "1"));
  }

  @Test
  void an_unreadable_model_fails_with_its_path() {
    assertEquals(1, bench("--model", "/nonexistent/model.gguf"));
    assertTrue(err.toString().contains("/nonexistent/model.gguf"), err.toString());
  }
}
