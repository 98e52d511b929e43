package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.cli.tools.BenchModel;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.WeightMatrix;
import dev.banter.samples.demo.DemoModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code banter models make-bench}: a small model of the bench-1b family (dim 256, 2 layers) read back. */
class ModelsMakeBenchCommandTest {
  private static final String[] SMALL = {"--dim", "256", "--layers", "2", "--heads", "4", "--kv-heads", "2",
      "--ffn", "512", "--context", "128"};

  @TempDir
  Path home;

  private Path vocab;
  private int vocabSize;

  @BeforeEach
  void vocabulary() {
    vocab = DemoModel.extractTo(home.resolve("models"));
    try (GgufFile f = GgufFile.open(vocab)) {
      vocabSize = f.metadata().tokenizerTokens().orElseThrow().size();
    }
  }

  private Path make(String type, long seed, String file) {
    Path out = home.resolve(file);
    List<String> args = new ArrayList<>(List.of("models", "make-bench", "--vocab", vocab.toString(), "--type", type,
        "--out", out.toString(), "--seed", Long.toString(seed)));
    args.addAll(List.of(SMALL));
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.OK, t.run(args.toArray(new String[0])), t.err.text());
    assertTrue(t.out.text().startsWith("wrote " + out + ": " + type.toUpperCase() + ", "), t.out.text());
    return out;
  }

  @ParameterizedTest
  @EnumSource(BenchModel.FileType.class)
  void a_small_model_reads_back_with_the_llama_shape_and_the_vocabulary(BenchModel.FileType type) {
    try (GgufFile f = GgufFile.open(make(type.name(), 1, "m.gguf"))) {
      assertEquals("llama", f.metadata().architecture().orElseThrow());
      assertEquals(256, f.metadata().embeddingLength().getAsInt());
      assertEquals(2, f.metadata().blockCount().getAsInt());
      assertEquals(4, f.metadata().headCount().getAsInt());
      assertEquals(2, f.metadata().headCountKv().getAsInt());
      assertEquals(512, f.metadata().feedForwardLength().getAsInt());
      assertEquals(vocabSize, f.metadata().tokenizerTokens().orElseThrow().size());
      assertEquals(3 + 9 * 2, f.tensors().size());
      assertArrayEquals(new long[] {256, 128}, f.tensor("blk.1.attn_k.weight").dims());
      assertArrayEquals(new long[] {512, 256}, f.tensor("blk.0.ffn_down.weight").dims());
      assertEquals(GgmlType.F32, f.tensor("blk.0.attn_norm.weight").type());
      assertArrayEquals(new long[] {256, vocabSize}, f.tensor("output.weight").dims());
    }
  }

  @Test
  void q4_k_m_uses_q6_k_for_output_and_for_attn_v_and_ffn_down_of_the_layers_llama_cpp_picks() {
    try (GgufFile f = GgufFile.open(make("Q4_K_M", 1, "m.gguf"))) {
      assertEquals(15, f.metadata().getLong("general.file_type").getAsLong());
      assertEquals(GgmlType.Q4_K, f.tensor("token_embd.weight").type());
      assertEquals(GgmlType.Q6_K, f.tensor("output.weight").type());
      // two layers: n/8 = 0 and 7n/8 = 1, so layer 1 gets more bits and layer 0 does not
      assertEquals(GgmlType.Q4_K, f.tensor("blk.0.attn_v.weight").type());
      assertEquals(GgmlType.Q4_K, f.tensor("blk.0.ffn_down.weight").type());
      assertEquals(GgmlType.Q6_K, f.tensor("blk.1.attn_v.weight").type());
      assertEquals(GgmlType.Q6_K, f.tensor("blk.1.ffn_down.weight").type());
      assertEquals(GgmlType.Q4_K, f.tensor("blk.1.attn_q.weight").type());
    }
  }

  @Test
  void q4_0_keeps_q4_0_except_a_q6_k_output_and_q8_0_is_uniform() {
    try (GgufFile f = GgufFile.open(make("Q4_0", 1, "a.gguf"))) {
      assertEquals(GgmlType.Q4_0, f.tensor("token_embd.weight").type());
      assertEquals(GgmlType.Q6_K, f.tensor("output.weight").type());
      assertEquals(GgmlType.Q4_0, f.tensor("blk.1.ffn_down.weight").type());
    }
    try (GgufFile f = GgufFile.open(make("q8_0", 1, "b.gguf"))) {
      for (GgufTensor t : f.tensors()) {
        assertEquals(t.rank() == 1 ? GgmlType.F32 : GgmlType.Q8_0, t.type(), t.name());
      }
    }
  }

  @Test
  void weights_are_small_centred_and_the_same_for_the_same_seed() {
    float[] a = row(make("Q8_0", 5, "s1.gguf"));
    float[] b = row(make("Q8_0", 5, "s2.gguf"));
    float[] c = row(make("Q8_0", 6, "s3.gguf"));
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
    double sum = 0;
    double sq = 0;
    for (float v : a) {
      sum += v;
      sq += v * v;
      assertTrue(Math.abs(v) <= 0.035f, "weight " + v);
    }
    double std = Math.sqrt(sq / a.length);
    assertTrue(Math.abs(sum / a.length) < 0.005, "mean " + sum / a.length);
    assertTrue(std > 0.015 && std < 0.025, "std " + std);
  }

  private static float[] row(Path file) {
    float[] v = new float[256];
    try (GgufFile f = GgufFile.open(file)) {
      GgufTensor t = f.tensor("blk.1.attn_q.weight");
      WeightMatrix.of(t.name(), t.type(), (int) t.dim(1), (int) t.dim(0), t.data()).dequantizeRow(7, v, 0);
    }
    return v;
  }

  @Test
  void the_model_runs_on_the_engine() {
    Path model = make("Q4_K_M", 1, "run.gguf");
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.OK, t.run("eval", "--model", model.toString(), "--prompt", "Hello", "--greedy", "3"),
        t.err.text());
    assertTrue(t.out.text().contains("\"greedy_tokens\":["), t.out.text());
  }

  @Test
  void bad_arguments_are_usage_errors_that_say_what_is_wrong() {
    TestIo a = new TestIo(home);
    assertEquals(ExitCode.USAGE, a.run("models", "make-bench", "--type", "Q4_0"));
    assertTrue(a.err.text().contains("Missing required options"), a.err.text());
    TestIo b = new TestIo(home);
    assertEquals(ExitCode.USAGE, b.run("models", "make-bench", "--vocab", "v", "--type", "Q5_1", "--out", "x"));
    assertTrue(b.err.text().contains("--type must be Q8_0, Q4_0 or Q4_K_M, got 'Q5_1'"), b.err.text());
    TestIo c = new TestIo(home);
    assertEquals(ExitCode.USAGE, c.run("models", "make-bench", "--vocab", "v", "--type", "Q8_0", "--out", "x",
        "--dim", "100"));
    assertTrue(c.err.text().contains("multiples of 256"), c.err.text());
  }

  @Test
  void a_missing_vocabulary_is_a_model_load_error_and_writes_nothing() {
    Path out = home.resolve("o.gguf");
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.MODEL_LOAD, t.run("models", "make-bench", "--vocab", home.resolve("none.gguf").toString(),
        "--type", "Q8_0", "--out", out.toString()));
    assertTrue(t.err.text().contains("none.gguf"), t.err.text());
    assertFalse(Files.exists(out));
  }

  @Test
  void help_lists_the_shape_options() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.OK, t.run("models", "make-bench", "--help"));
    assertTrue(t.out.text().contains("--kv-heads"), t.out.text());
  }
}
