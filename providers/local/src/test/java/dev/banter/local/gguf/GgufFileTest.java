package dev.banter.local.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ModelLoadException;
import dev.banter.local.tensor.GgmlType;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Reading the llama.cpp-made fixtures. */
class GgufFileTest {
  @Test
  void typed_accessors_read_the_usual_keys() {
    try (GgufFile f = GgufFile.open(GgufWriterRoundTripTest.fixture("gguf/tiny-llama-f32.gguf"))) {
      GgufMetadata md = f.metadata();
      assertEquals(3, f.version());
      assertEquals("llama", md.architecture().orElseThrow());
      assertEquals(512, md.contextLength().getAsInt());
      assertEquals(128, md.embeddingLength().getAsInt());
      assertEquals(2, md.blockCount().getAsInt());
      assertEquals(256, md.feedForwardLength().getAsInt());
      assertEquals(4, md.headCount().getAsInt());
      assertEquals(2, md.headCountKv().getAsInt());
      assertEquals(32, md.ropeDimensionCount().getAsInt());
      assertEquals(10000.0, md.ropeFreqBase().getAsDouble());
      assertEquals(1e-5, md.layerNormRmsEpsilon().getAsDouble(), 1e-12);
      assertEquals("llama", md.tokenizerModel().orElseThrow());
      assertEquals(640, md.tokenizerTokens().orElseThrow().size());
      assertEquals(640, md.tokenizerScores().orElseThrow().length);
      assertEquals(3, md.tokenizerTokenTypes().orElseThrow()[638]);
      assertEquals(1, md.bosTokenId().getAsInt());
      assertEquals(2, md.eosTokenId().getAsInt());
      assertEquals(0, md.unknownTokenId().getAsInt());
      assertTrue(md.addBosToken().orElseThrow());
      assertTrue(md.chatTemplate().orElseThrow().contains("<|im_start|>"));
      assertFalse(md.tokenizerMerges().isPresent());
    }
  }

  @Test
  void tensors_expose_ggml_dims_and_mapped_little_endian_data() {
    try (GgufFile f = GgufFile.open(GgufWriterRoundTripTest.fixture("gguf/tiny-llama-q8_0.gguf"))) {
      GgufTensor emb = f.tensor("token_embd.weight");
      assertEquals(GgmlType.Q8_0, emb.type());
      assertEquals(256, emb.dim(0));
      assertEquals(640, emb.dim(1));
      assertEquals(1, emb.dim(3));
      assertEquals(256L * 640, emb.elementCount());
      assertEquals(256L * 640 / 32 * 34, emb.byteSize());
      ByteBuffer b = emb.data();
      assertEquals(emb.byteSize(), b.remaining());
      assertTrue(b.isReadOnly());
      assertEquals(0, emb.fileOffset() % f.alignment());
      GgufTensor norm = f.tensor("output_norm.weight");
      assertEquals(GgmlType.F32, norm.type());
      float first = norm.data().getFloat(0);
      assertTrue(Float.isFinite(first));
    }
  }

  @Test
  void a_missing_tensor_or_a_key_of_the_wrong_type_is_a_model_load_error() {
    try (GgufFile f = GgufFile.open(GgufWriterRoundTripTest.fixture("gguf/tiny-llama-f32.gguf"))) {
      ModelLoadException missing = assertThrows(ModelLoadException.class, () -> f.tensor("nope.weight"));
      assertTrue(missing.getMessage().contains("nope.weight"));
      ModelLoadException wrong = assertThrows(ModelLoadException.class, () -> f.metadata().getString("llama.block_count"));
      assertTrue(wrong.getMessage().contains("llama.block_count") && wrong.offset().isPresent(), wrong.getMessage());
      assertFalse(f.findTensor("nope.weight").isPresent());
    }
  }

  @Test
  void data_cannot_be_mapped_after_close() {
    GgufFile f = GgufFile.open(GgufWriterRoundTripTest.fixture("gguf/tiny-llama-f32.gguf"));
    GgufTensor t = f.tensor("output_norm.weight");
    f.close();
    assertThrows(IllegalStateException.class, t::data);
  }
}
