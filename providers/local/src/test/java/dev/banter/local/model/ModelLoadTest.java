package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ModelLoadException;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufMetadata;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.gguf.GgufValue;
import dev.banter.local.gguf.GgufWriter;
import dev.banter.local.tensor.GgmlType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the engine cannot run fail at load, naming the file and what is supported. */
class ModelLoadTest {
  @TempDir
  Path dir;

  private Path copy(String source, Map<String, GgufValue> metadata, String retype, GgmlType type, String drop) {
    Path target = dir.resolve("copy.gguf");
    try (GgufFile in = GgufFile.open(Fixtures.resource("gguf/" + source + ".gguf"))) {
      GgufWriter w = GgufWriter.create();
      for (Map.Entry<String, GgufValue> e : in.metadata().asMap().entrySet()) {
        w.put(e.getKey(), metadata.getOrDefault(e.getKey(), e.getValue()));
      }
      for (GgufTensor t : in.tensors()) {
        if (t.name().equals(drop)) {
          continue;
        }
        ByteBuffer data = t.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        GgmlType declared = t.type();
        if (t.name().equals(retype)) {
          declared = type;
          bytes = new byte[(int) (type.byteSize(t.dim(0)) * t.dim(1))];
        }
        w.addTensor(t.name(), declared, t.dims(), bytes);
      }
      w.write(target);
    }
    return target;
  }

  /**
   * A fused q|k|v matrix is Phi-3's layout; in a file of another architecture the engine does not
   * bind it (its working memory has no room for it) and asks for the separate projections.
   */
  @Test
  void a_fused_qkv_outside_phi3_fails_naming_the_missing_projection() {
    Path target = dir.resolve("fused.gguf");
    try (GgufFile in = GgufFile.open(Fixtures.resource("gguf/tiny-qwen3-f32.gguf"))) {
      GgufWriter w = GgufWriter.create();
      for (Map.Entry<String, GgufValue> e : in.metadata().asMap().entrySet()) {
        w.put(e.getKey(), e.getValue());
      }
      for (GgufTensor t : in.tensors()) {
        String n = t.name();
        if (n.endsWith("attn_k.weight") || n.endsWith("attn_v.weight")) {
          continue;
        }
        if (n.endsWith("attn_q.weight")) {
          String b = n.substring(0, n.length() - "attn_q.weight".length());
          java.io.ByteArrayOutputStream qkv = new java.io.ByteArrayOutputStream();
          long rows = 0;
          for (String part : new String[] {"attn_q", "attn_k", "attn_v"}) {
            GgufTensor p = in.tensor(b + part + ".weight");
            ByteBuffer data = p.data();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            qkv.writeBytes(bytes);
            rows += p.dim(1);
          }
          w.addTensor(b + "attn_qkv.weight", GgmlType.F32, new long[] {t.dim(0), rows}, qkv.toByteArray());
          continue;
        }
        ByteBuffer data = t.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        w.addTensor(n, t.type(), t.dims(), bytes);
      }
      w.write(target);
    }
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Model.load(target, 1));
    assertTrue(e.getMessage().contains("blk.0.attn_q.weight"), e.getMessage());
  }

  @Test
  void an_unsupported_architecture_fails_listing_the_supported_ones() {
    Path file = copy("tiny-llama-f32", Collections.singletonMap("general.architecture", GgufValue.ofString("mamba")),
        null, null, null);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Model.load(file, 1));
    assertTrue(e.getMessage().contains("'mamba'") && e.getMessage().contains("llama, qwen2, qwen3, qwen3moe, gemma3, phi3, granite, gpt-oss, grok"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals(file.toString(), e.file().get());
  }

  @Test
  void an_unsupported_tensor_type_fails_listing_the_supported_types() {
    Path file = copy("tiny-llama-f32", Collections.emptyMap(), "blk.1.ffn_up.weight", GgmlType.Q8_1, null);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Model.load(file, 1));
    assertTrue(e.getMessage().contains("blk.1.ffn_up.weight") && e.getMessage().contains("Q8_1"), e.getMessage());
    assertTrue(e.getMessage().contains("F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS, BF16, MXFP4"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void weights_that_disagree_with_the_metadata_fail_naming_the_tensor_and_both_shapes() {
    Path file = copy("tiny-llama-f32", Collections.singletonMap("llama.feed_forward_length", GgufValue.ofUint32(512)),
        null, null, null);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Model.load(file, 1));
    assertTrue(e.getMessage().contains("blk.0.ffn_gate.weight") && e.getMessage().contains("[128, 256]")
        && e.getMessage().contains("[128, 512]"), e.getMessage());
  }

  @Test
  void a_missing_tensor_fails_naming_it() {
    Path file = copy("tiny-grok-f32", Collections.emptyMap(), null, null, "blk.1.layer_output_norm.weight");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Model.load(file, 1));
    assertTrue(e.getMessage().contains("post_ffw_norm") || e.getMessage().contains("layer_output_norm"),
        e.getMessage());
  }

  @Test
  void a_missing_hyperparameter_fails_naming_the_key() {
    Path file = copy("tiny-qwen2-f32", Collections.singletonMap("qwen2.block_count", GgufValue.ofString("two")),
        null, null, null);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Model.load(file, 1));
    assertTrue(e.getMessage().contains("qwen2.block_count"), e.getMessage());
  }

  @Test
  void issue17_a_huge_block_count_is_a_load_error_not_an_out_of_memory() {
    Path file = copy("tiny-qwen2-f32", Collections.singletonMap("qwen2.block_count",
        GgufValue.ofUint32(2_000_000_000L)), null, null, null);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Model.load(file, 1));
    assertTrue(e.getMessage().contains("qwen2.block_count") && e.getMessage().contains("2000000000"), e.getMessage());
  }

  @Test
  void grok_without_scale_keys_takes_llama_cpps_defaults() {
    try (GgufFile f = GgufFile.open(Fixtures.resource("gguf/tiny-grok-f32.gguf"))) {
      Hyperparameters hp = new Hyperparameters(Architecture.GROK, f.metadata(), "tiny-grok");
      assertEquals(78.38367176906169f, hp.embeddingScale);
      assertEquals(0.5773502691896257f, hp.logitScale);
      assertEquals(0.08838834764831845f, hp.attnOutScale);
      assertEquals(30.0f, hp.attnSoftcap);
      assertEquals(4, hp.experts);
      assertEquals(2, hp.expertsUsed);
      assertTrue(hp.architecture.neoxRope());
    }
  }

  @Test
  void grok_scale_keys_in_the_file_override_the_defaults() {
    try (GgufFile f = GgufFile.open(Fixtures.resource("gguf/tiny-grok-f32.gguf"))) {
      Map<String, GgufValue> m = new LinkedHashMap<>(f.metadata().asMap());
      m.put("grok.embedding_scale", GgufValue.ofFloat32(2.0f));
      m.put("grok.logit_scale", GgufValue.ofFloat32(0.5f));
      m.put("grok.attention.output_scale", GgufValue.ofFloat32(0.125f));
      m.put("grok.attn_logit_softcapping", GgufValue.ofFloat32(50.0f));
      Hyperparameters hp = new Hyperparameters(Architecture.GROK, GgufMetadata.of("x", m), "x");
      assertEquals(2.0f, hp.embeddingScale);
      assertEquals(0.5f, hp.logitScale);
      assertEquals(0.125f, hp.attnOutScale);
      assertEquals(50.0f, hp.attnSoftcap);
    }
  }
}
