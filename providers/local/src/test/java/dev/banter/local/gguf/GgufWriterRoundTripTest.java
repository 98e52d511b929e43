package dev.banter.local.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.local.tensor.GgmlType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer writes, the reader reads back byte for byte. */
class GgufWriterRoundTripTest {
  @TempDir Path dir;

  static Map<String, GgufValue> everyType() {
    Map<String, GgufValue> m = new LinkedHashMap<>();
    m.put("general.architecture", GgufValue.ofString("llama"));
    m.put("u8", GgufValue.ofUint8(255));
    m.put("i8", GgufValue.ofInt8(-128));
    m.put("u16", GgufValue.ofUint16(65535));
    m.put("i16", GgufValue.ofInt16(-32768));
    m.put("u32", GgufValue.ofUint32(4_294_967_295L));
    m.put("i32", GgufValue.ofInt32(Integer.MIN_VALUE));
    m.put("f32", GgufValue.ofFloat32(-1.5e-7f));
    m.put("bool", GgufValue.ofBool(true));
    m.put("string", GgufValue.ofString("héllo ▁ 🦙"));
    m.put("bytes", GgufValue.ofStringBytes(new byte[] {(byte) 0xFF, 0, (byte) 0xC3}));
    m.put("u64", GgufValue.ofUint64(-1L));
    m.put("i64", GgufValue.ofInt64(Long.MIN_VALUE));
    m.put("f64", GgufValue.ofFloat64(Math.PI));
    m.put("a.u8", GgufValue.ofIntegerArray(GgufType.UINT8, 0, 1, 255));
    m.put("a.i8", GgufValue.ofIntegerArray(GgufType.INT8, -128, 127));
    m.put("a.u16", GgufValue.ofIntegerArray(GgufType.UINT16, 0, 65535));
    m.put("a.i16", GgufValue.ofIntegerArray(GgufType.INT16, -1, 1));
    m.put("a.u32", GgufValue.ofIntegerArray(GgufType.UINT32, 4_294_967_295L, 7));
    m.put("a.i32", GgufValue.ofInt32Array(1, -2, 3));
    m.put("a.u64", GgufValue.ofIntegerArray(GgufType.UINT64, -1L, 0));
    m.put("a.i64", GgufValue.ofIntegerArray(GgufType.INT64, Long.MAX_VALUE));
    m.put("a.f32", GgufValue.ofFloat32Array(0f, -0f, Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY));
    m.put("a.f64", GgufValue.ofFloat64Array(1e300, -2.5));
    m.put("a.bool", GgufValue.ofBoolArray(true, false, true));
    m.put("a.string", GgufValue.ofStringArray(List.of("", "a", "<0x0A>", "▁the")));
    m.put("a.empty", GgufValue.ofInt32Array());
    m.put("a.nested", GgufValue.ofArray(GgufType.ARRAY, List.of(
        GgufValue.ofInt32Array(1, 2), GgufValue.ofInt32Array(),
        GgufValue.ofArray(GgufType.ARRAY, List.of(GgufValue.ofStringArray(List.of("deep")))))));
    return m;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void metadata_of_every_type_and_tensors_of_each_type_read_back_exactly() throws IOException {
    Map<String, GgufValue> md = everyType();
    float[] f32 = {1f, -2f, 3.5f, Float.NaN, 0f, 1e-30f, 7f, 8f};
    byte[] f16 = random(2 * 64, 1);
    byte[] bf16 = random(2 * 32 * 3, 2);
    byte[] q80 = random(34 * 4, 3);
    byte[] q40 = random(18 * 2 * 2, 4);
    GgufWriter w = GgufWriter.create();
    md.forEach(w::put);
    w.addTensorF32("f32", new long[] {8}, f32)
        .addTensor("f16", GgmlType.F16, new long[] {64}, f16)
        .addTensor("bf16", GgmlType.BF16, new long[] {32, 3}, bf16)
        .addTensor("q8_0", GgmlType.Q8_0, new long[] {64, 2}, q80)
        .addTensor("q4_0", GgmlType.Q4_0, new long[] {64, 1, 2}, q40);
    Path p = dir.resolve("all.gguf");
    w.write(p);

    try (GgufFile f = GgufFile.open(p)) {
      assertEquals(3, f.version());
      assertEquals(32, f.alignment());
      assertEquals(md.keySet(), f.metadata().keys());
      md.forEach((k, v) -> assertEquals(v, f.metadata().get(k).orElseThrow(), k));
      assertEquals(List.of("f32", "f16", "bf16", "q8_0", "q4_0"),
          f.tensors().stream().map(GgufTensor::name).collect(java.util.stream.Collectors.toList()));
      ByteBuffer fb = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
      for (float x : f32) {
        fb.putFloat(x);
      }
      assertArrayEquals(fb.array(), bytes(f.tensor("f32")));
      assertArrayEquals(f16, bytes(f.tensor("f16")));
      assertArrayEquals(bf16, bytes(f.tensor("bf16")));
      assertArrayEquals(q80, bytes(f.tensor("q8_0")));
      assertArrayEquals(q40, bytes(f.tensor("q4_0")));
      GgufTensor q4 = f.tensor("q4_0");
      assertEquals(GgmlType.Q4_0, q4.type());
      assertArrayEquals(new long[] {64, 1, 2}, q4.dims());
      assertEquals(128, q4.elementCount());
      assertEquals(72, q4.byteSize());
      for (GgufTensor t : f.tensors()) {
        assertEquals(0, t.fileOffset() % 32, t.name());
      }
    }
  }

  @Test
  void rewriting_a_read_file_reproduces_it_byte_for_byte() throws IOException {
    Path src = fixture("gguf/tiny-llama-q4_0.gguf");
    Path copy = dir.resolve("copy.gguf");
    try (GgufFile f = GgufFile.open(src)) {
      GgufWriter w = GgufWriter.create().putAll(f.metadata());
      for (GgufTensor t : f.tensors()) {
        w.addTensor(t.name(), t.type(), t.dims(), out -> {
          ByteBuffer b = t.data();
          byte[] chunk = new byte[8192];
          while (b.hasRemaining()) {
            int n = Math.min(chunk.length, b.remaining());
            b.get(chunk, 0, n);
            out.write(chunk, 0, n);
          }
        });
      }
      w.write(copy);
    }
    assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(copy));
  }

  @Test
  void a_custom_alignment_pads_the_data_section_and_every_tensor() throws IOException {
    Path p = dir.resolve("aligned.gguf");
    GgufWriter.create().put("general.alignment", GgufValue.ofUint32(256))
        .addTensorF32("a", new long[] {3}, new float[] {1, 2, 3})
        .addTensorF32("b", new long[] {1}, new float[] {4})
        .write(p);
    try (GgufFile f = GgufFile.open(p)) {
      assertEquals(256, f.alignment());
      assertEquals(0, f.dataOffset() % 256);
      assertEquals(f.dataOffset() + 256, f.tensor("b").fileOffset());
      assertEquals(4f, f.tensor("b").data().getFloat(0));
    }
  }

  @Test
  void a_source_writing_the_wrong_number_of_bytes_is_refused() {
    GgufWriter w = GgufWriter.create().addTensor("t", GgmlType.F32, new long[] {4}, out -> out.write(new byte[12]));
    assertThrows(java.io.UncheckedIOException.class, () -> w.write(dir.resolve("short.gguf")));
    assertThrows(IllegalArgumentException.class,
        () -> GgufWriter.create().addTensor("q", GgmlType.Q8_0, new long[] {33}, new byte[34]));
    assertThrows(IllegalArgumentException.class,
        () -> GgufWriter.create().addTensor("q", GgmlType.Q8_0, new long[] {32}, new byte[33]));
  }

  @Test
  void a_vocabulary_only_file_has_no_tensors() throws IOException {
    Path p = dir.resolve("vocab.gguf");
    GgufWriter.create().put("tokenizer.ggml.model", GgufValue.ofString("llama")).write(p);
    try (GgufFile f = GgufFile.open(p)) {
      assertTrue(f.tensors().isEmpty());
      assertEquals("llama", f.metadata().tokenizerModel().orElseThrow());
    }
  }

  static byte[] bytes(GgufTensor t) {
    ByteBuffer b = t.data();
    assertTrue(b.isReadOnly());
    assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  static Path fixture(String name) {
    try {
      return Path.of(GgufWriterRoundTripTest.class.getClassLoader().getResource(name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void equal_values_are_equal_and_differ_by_type() {
    assertEquals(GgufValue.ofUint32(1), GgufValue.ofUint32(1));
    assertTrue(!GgufValue.ofUint32(1).equals(GgufValue.ofInt32(1)));
    assertEquals(Arrays.asList(1L, 2L), Arrays.asList(1L, 2L));
    assertEquals("18446744073709551615", GgufValue.ofUint64(-1).toString());
  }
}
