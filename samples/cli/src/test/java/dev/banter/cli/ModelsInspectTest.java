package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.samples.demo.DemoModel;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.gguf.GgufValue;
import dev.banter.local.gguf.GgufWriter;
import dev.banter.local.tensor.GgmlType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter models inspect}: the header of a GGUF file, in words. */
class ModelsInspectTest {
  @TempDir
  Path home;

  @Test
  void the_demo_model_is_described_from_its_header() {
    Path file = DemoModel.extractTo(home.resolve("models"));
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("models", "inspect", file.toString()));
    String out = t.out.text();
    assertTrue(out.contains("architecture  llama"), out);
    assertTrue(out.contains("name          banter-demo-fortunes"), out);
    assertTrue(out.contains("context       " + DemoModel.CONTEXT_LENGTH + " tokens"), out);
    assertTrue(out.matches("(?s).*parameters    6\\.6 M \\(6,565,536\\).*"), out);
    assertTrue(out.contains("tensor types  Q8_0 ×44 (7.0 MB), F32 ×13 (15.0 KB)\n"), "heaviest type first: " + out);
    assertTrue(out.contains("engine        runs on Banter's local engine\n"), out);
    assertTrue(out.matches("(?s).*vocabulary    \\d+ tokens, tokenizer llama.*"), out);
    assertTrue(out.contains("size          7.0 MB (7,012,704 bytes)"), out);
    assertTrue(out.contains("{% for message in messages %}"), "shows the template's first lines: " + out);
  }

  @Test
  void template_lines_limits_how_much_of_the_template_shows() {
    Path file = DemoModel.extractTo(home.resolve("models"));
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("models", "inspect", file.toString(), "--template-lines", "1"));
    assertTrue(t.out.text().contains("… 5 more"), t.out.text());
    TestIo none = new TestIo(home);
    assertEquals(0, none.run("models", "inspect", file.toString(), "--template-lines", "0"));
    assertFalse(none.out.text().contains("{% for"), none.out.text());
  }

  @Test
  void a_truncated_file_is_a_model_load_error_with_the_offset() throws Exception {
    Path file = DemoModel.extractTo(home.resolve("models"));
    Path cut = home.resolve("cut.gguf");
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(file), 1000));
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.MODEL_LOAD, t.run("models", "inspect", cut.toString()));
    assertTrue(t.err.text().contains("cut.gguf @"), t.err.text());
    assertEquals("", t.out.text());
  }

  /** The demo model with metadata replaced, some tensors retyped (zero data) and one dropped. */
  private Path variant(Map<String, GgufValue> metadata, Set<String> retype, GgmlType type, String drop) {
    Path target = home.resolve("variant.gguf");
    try (GgufFile in = GgufFile.open(DemoModel.extractTo(home.resolve("models")))) {
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

  private String inspect(Path file) {
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("models", "inspect", file.toString(), "--template-lines", "0"), t.err.text());
    return t.out.text();
  }

  @Test
  void a_tensor_type_without_kernels_is_named_with_the_tensor_and_counted_in_the_mix() {
    String out = inspect(variant(Map.of(), Set.of("blk.0.ffn_down.weight", "blk.1.ffn_down.weight"),
        GgmlType.Q8_1, null));
    assertTrue(out.contains("tensor types  Q8_0 ×42 (6.5 MB), Q8_1 ×2 (498 KB), F32 ×13 (15.0 KB)\n"),
        out);
    assertTrue(out.contains("engine        cannot run on Banter's local engine:\n"
        + "    - tensor blk.0.ffn_down.weight is Q8_1, which the engine cannot compute with (nor the 1 other Q8_1 "
        + "tensors); it computes with "), out);
  }

  @Test
  void an_unsupported_architecture_is_named_with_the_supported_ones() {
    String out = inspect(variant(Map.of("general.architecture", GgufValue.ofString("mamba")), Set.of(), null, null));
    assertTrue(out.contains("architecture  mamba\n"), out);
    assertTrue(out.contains("    - architecture 'mamba' is not supported; supported: llama, "), out);
  }

  @Test
  void a_missing_required_tensor_is_named() {
    String out = inspect(variant(Map.of(), Set.of(), null, "blk.0.attn_k.weight"));
    assertTrue(out.contains("    - tensor 'blk.0.attn_k.weight' is missing"), out);
  }

  @Test
  void a_missing_file_is_a_model_load_error() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.MODEL_LOAD, t.run("models", "inspect", home.resolve("none.gguf").toString()));
    assertTrue(t.err.text().contains("none.gguf"), t.err.text());
  }
}
