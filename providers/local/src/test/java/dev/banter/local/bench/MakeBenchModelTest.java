package dev.banter.local.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.WeightMatrix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A small model of the bench-1b family (dim 256, 2 layers, the llama vocabulary) read back. */
class MakeBenchModelTest {
  private static final String[] SMALL = {"--dim", "256", "--layers", "2", "--heads", "4",
      "--kv-heads", "2", "--ffn", "512", "--context", "128"};

  @TempDir
  Path dir;

  private static Path vocab() throws URISyntaxException {
    return Paths.get(MakeBenchModelTest.class.getClassLoader()
        .getResource("tokenizer/ggml-vocab-llama-spm.gguf").toURI());
  }

  private Path make(String type, long seed, String file) throws URISyntaxException {
    Path out = dir.resolve(file);
    List<String> args = new ArrayList<>(List.of("--vocab", vocab().toString(), "--type", type,
        "--out", out.toString(), "--seed", Long.toString(seed)));
    args.addAll(List.of(SMALL));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MakeBenchModel.run(args.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return out;
  }

  @ParameterizedTest
  @EnumSource(MakeBenchModel.FileType.class)
  void small_model_reads_back_with_the_llama_shape_and_the_vocabulary(MakeBenchModel.FileType type)
      throws Exception {
    try (GgufFile f = GgufFile.open(make(type.name(), 1, "m.gguf"))) {
      assertEquals("llama", f.metadata().architecture().get());
      assertEquals(256, f.metadata().embeddingLength().getAsInt());
      assertEquals(2, f.metadata().blockCount().getAsInt());
      assertEquals(4, f.metadata().headCount().getAsInt());
      assertEquals(2, f.metadata().headCountKv().getAsInt());
      assertEquals(512, f.metadata().feedForwardLength().getAsInt());
      assertEquals(32000, f.metadata().tokenizerTokens().get().size());
      assertEquals(type.ftype, f.metadata().getLong("general.file_type").getAsLong());
      assertEquals(3 + 9 * 2, f.tensors().size());
      GgufTensor k = f.tensor("blk.1.attn_k.weight");
      assertArrayEquals(new long[] {256, 128}, k.dims());
      GgufTensor down = f.tensor("blk.0.ffn_down.weight");
      assertArrayEquals(new long[] {512, 256}, down.dims());
      assertEquals(GgmlType.F32, f.tensor("blk.0.attn_norm.weight").type());
      assertArrayEquals(new long[] {256, 32000}, f.tensor("output.weight").dims());
    }
  }

  @Test
  void q4_k_m_uses_q6_k_for_output_and_for_attn_v_and_ffn_down_of_the_layers_llama_cpp_picks()
      throws Exception {
    try (GgufFile f = GgufFile.open(make("Q4_K_M", 1, "m.gguf"))) {
      assertEquals(GgmlType.Q4_K, f.tensor("token_embd.weight").type());
      assertEquals(GgmlType.Q6_K, f.tensor("output.weight").type());
      // two layers: n/8 = 0 and 7n/8 = 1, so layer 1 gets more bits and layer 0 does not
      assertEquals(GgmlType.Q4_K, f.tensor("blk.0.attn_v.weight").type());
      assertEquals(GgmlType.Q4_K, f.tensor("blk.0.ffn_down.weight").type());
      assertEquals(GgmlType.Q6_K, f.tensor("blk.1.attn_v.weight").type());
      assertEquals(GgmlType.Q6_K, f.tensor("blk.1.ffn_down.weight").type());
      assertEquals(GgmlType.Q4_K, f.tensor("blk.1.attn_q.weight").type());
      assertEquals(GgmlType.Q4_K, f.tensor("blk.1.ffn_up.weight").type());
    }
  }

  @Test
  void q4_0_keeps_q4_0_except_a_q6_k_output_and_q8_0_is_uniform() throws Exception {
    try (GgufFile f = GgufFile.open(make("Q4_0", 1, "a.gguf"))) {
      assertEquals(GgmlType.Q4_0, f.tensor("token_embd.weight").type());
      assertEquals(GgmlType.Q6_K, f.tensor("output.weight").type());
      assertEquals(GgmlType.Q4_0, f.tensor("blk.1.ffn_down.weight").type());
    }
    try (GgufFile f = GgufFile.open(make("Q8_0", 1, "b.gguf"))) {
      for (GgufTensor t : f.tensors()) {
        assertEquals(t.rank() == 1 ? GgmlType.F32 : GgmlType.Q8_0, t.type(), t.name());
      }
    }
  }

  @Test
  void bench_1b_gets_more_bits_in_the_layers_llama_cpp_lists_for_22_layers() {
    List<Integer> more = new ArrayList<>();
    for (int l = 0; l < 22; l++) {
      if (MakeBenchModel.useMoreBits(l, 22)) {
        more.add(l);
      }
    }
    assertEquals(List.of(0, 1, 4, 7, 10, 13, 16, 19, 20, 21), more);
  }

  @Test
  void weights_are_small_centred_and_the_same_for_the_same_seed() throws Exception {
    float[] a = new float[256];
    float[] b = new float[256];
    float[] c = new float[256];
    try (GgufFile f1 = GgufFile.open(make("Q8_0", 5, "s1.gguf"));
        GgufFile f2 = GgufFile.open(make("Q8_0", 5, "s2.gguf"));
        GgufFile f3 = GgufFile.open(make("Q8_0", 6, "s3.gguf"))) {
      matrix(f1, "blk.1.attn_q.weight").dequantizeRow(7, a, 0);
      matrix(f2, "blk.1.attn_q.weight").dequantizeRow(7, b, 0);
      matrix(f3, "blk.1.attn_q.weight").dequantizeRow(7, c, 0);
    }
    assertArrayEquals(a, b);
    assertFalse(java.util.Arrays.equals(a, c));
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

  private static WeightMatrix matrix(GgufFile f, String name) {
    GgufTensor t = f.tensor(name);
    ByteBuffer data = t.data();
    return WeightMatrix.of(name, t.type(), (int) t.dim(1), (int) t.dim(0), data);
  }

  @Test
  void bad_arguments_exit_with_2_and_say_what_is_wrong() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, "UTF-8");
    PrintStream o = new PrintStream(new ByteArrayOutputStream());
    assertEquals(2, MakeBenchModel.run(new String[] {"--type", "Q4_0"}, o, e));
    assertTrue(err.toString("UTF-8").contains("--vocab, --type and --out are required"));
    err.reset();
    assertEquals(2, MakeBenchModel.run(new String[] {"--vocab", "v", "--type", "Q5_1", "--out", "x"}, o, e));
    assertTrue(err.toString("UTF-8").contains("--type must be Q8_0, Q4_0 or Q4_K_M, got 'Q5_1'"));
    err.reset();
    assertEquals(2, MakeBenchModel.run(new String[] {"--vocab", "v", "--type", "Q8_0", "--out", "x",
        "--dim", "100"}, o, e));
    assertTrue(err.toString("UTF-8").contains("multiples of 256"));
  }

  @Test
  void a_missing_vocabulary_file_exits_with_1() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MakeBenchModel.run(new String[] {"--vocab", dir.resolve("none.gguf").toString(),
        "--type", "Q8_0", "--out", dir.resolve("o.gguf").toString()},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, "UTF-8"));
    assertEquals(1, code);
    assertTrue(err.toString("UTF-8").startsWith("make-bench-model: "), err.toString("UTF-8"));
  }
}
