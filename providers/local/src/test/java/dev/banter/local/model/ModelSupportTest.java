package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.gguf.GgufValue;
import dev.banter.local.gguf.GgufWriter;
import dev.banter.local.tensor.GgmlType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelSupport} names what keeps the engine from running a file, without loading it. */
class ModelSupportTest {
  @TempDir
  Path dir;

  /** A copy of a fixture with metadata replaced, some tensors retyped (data zeroed) and one dropped. */
  private Path copy(String source, Map<String, GgufValue> metadata, Set<String> retype, GgmlType type, String drop) {
    Path target = dir.resolve("copy.gguf");
    try (GgufFile in = GgufFile.open(Fixtures.resource("gguf/" + source + ".gguf"))) {
      GgufWriter w = GgufWriter.create();
      in.metadata().asMap().forEach((k, v) -> w.put(k, metadata.getOrDefault(k, v)));
      for (GgufTensor t : in.tensors()) {
        if (t.name().equals(drop)) {
          continue;
        }
        ByteBuffer data = t.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        GgmlType declared = t.type();
        if (retype.contains(t.name())) {
          declared = type;
          bytes = new byte[(int) (type.byteSize(t.dim(0)) * t.dim(1))];
        }
        w.addTensor(t.name(), declared, t.dims(), bytes);
      }
      w.write(target);
    }
    return target;
  }

  private static List<String> problems(Path file) {
    try (GgufFile f = GgufFile.open(file)) {
      return ModelSupport.problems(f);
    }
  }

  @Test
  void a_file_the_engine_runs_has_no_problems() {
    for (String fixture : new String[] {"tiny-llama-q4_k_m", "tiny-qwen2-f32", "tiny-grok-q8_0"}) {
      assertEquals(List.of(), problems(Fixtures.resource("gguf/" + fixture + ".gguf")), fixture);
    }
  }

  @Test
  void architectures_are_the_engines_own_list() {
    assertTrue(ModelSupport.architectures().containsAll(List.of("llama", "qwen2", "grok")),
        ModelSupport.architectures().toString());
  }

  @Test
  void an_unsupported_architecture_is_named_with_the_supported_ones() {
    List<String> p = problems(copy("tiny-llama-f32",
        Collections.singletonMap("general.architecture", GgufValue.ofString("mamba")), Set.of(), null, null));
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).startsWith("architecture 'mamba' is not supported; supported: llama, qwen2, qwen3, qwen3moe, gemma3, phi3, granite, gpt-oss, grok"), p.get(0));
  }

  @Test
  void an_unsupported_tensor_type_names_the_first_tensor_and_counts_the_rest() {
    List<String> p = problems(copy("tiny-llama-f32", Collections.emptyMap(),
        Set.of("blk.0.ffn_down.weight", "blk.1.ffn_down.weight"), GgmlType.Q8_1, null));
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).startsWith("tensor blk.0.ffn_down.weight is Q8_1, which the engine cannot compute with "
        + "(nor the 1 other Q8_1 tensors); it computes with F32, F16"), p.get(0));
  }

  @Test
  void an_unsupported_architecture_and_type_are_both_listed() {
    List<String> p = problems(copy("tiny-llama-f32",
        Collections.singletonMap("general.architecture", GgufValue.ofString("rwkv6")),
        Set.of("blk.1.attn_q.weight"), GgmlType.Q8_1, null));
    assertEquals(2, p.size(), p.toString());
    assertTrue(p.get(0).contains("'rwkv6'") && p.get(1).contains("blk.1.attn_q.weight is Q8_1"), p.toString());
  }

  @Test
  void a_missing_required_tensor_is_named() {
    List<String> p = problems(copy("tiny-llama-f32", Collections.emptyMap(), Set.of(), null, "blk.1.ffn_up.weight"));
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).startsWith("tensor 'blk.1.ffn_up.weight' is missing"), p.get(0));
  }

  @Test
  void a_missing_hyperparameter_is_named() {
    List<String> p = problems(copy("tiny-qwen2-f32",
        Collections.singletonMap("qwen2.block_count", GgufValue.ofString("two")), Set.of(), null, null));
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("qwen2.block_count"), p.get(0));
  }
}
