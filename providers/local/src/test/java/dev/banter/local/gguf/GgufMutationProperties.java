package dev.banter.local.gguf;

import static org.junit.jupiter.api.Assertions.fail;

import dev.banter.api.ModelLoadException;
import dev.banter.local.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated and truncated copies of a fixture either load (metadata, tensors, tokenizer) or fail
 * with a ModelLoadException; never another exception, an OutOfMemoryError or a hang.
 */
class GgufMutationProperties {
  private static byte[] original;
  private static int headerSize;
  private static Path dir;

  @BeforeContainer
  static void load() throws IOException {
    Path src = GgufWriterRoundTripTest.fixture("gguf/tiny-llama-q4_0.gguf");
    original = Files.readAllBytes(src);
    try (GgufFile f = GgufFile.open(src)) {
      headerSize = (int) f.dataOffset();
    }
    dir = Files.createTempDirectory("gguf-mutations");
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  private static void loadsOrFailsCleanly(byte[] bytes) throws IOException {
    Path p = Files.createTempFile(dir, "m", ".gguf");
    Files.write(p, bytes);
    try (GgufFile f = GgufFile.open(p)) {
      for (GgufTensor t : f.tensors()) {
        if (t.byteSize() > 0) {   // a zero dimension is legal GGUF: an empty tensor has no last byte
          t.data().get((int) (t.byteSize() - 1));
        }
      }
      f.metadata().contextLength();
      f.metadata().chatTemplate();
      Tokenizer tok = Tokenizer.from(f);
      tok.decode(tok.encode("Hello <|im_start|> world", true, true));
    } catch (ModelLoadException expected) {
      // the one allowed failure
    } catch (Throwable other) {
      fail("a mutated file must load or fail with ModelLoadException, got " + other, other);
    } finally {
      Files.delete(p);
    }
  }

  @Property(tries = 300)
  void header_mutations_load_or_fail_with_model_load_exception(
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> positions,
      @ForAll @Size(min = 6, max = 6) List<@IntRange(min = 0, max = 255) Integer> values) throws IOException {
    byte[] b = original.clone();
    for (int i = 0; i < positions.size(); i++) {
      b[positions.get(i) % headerSize] = (byte) (int) values.get(i);
    }
    loadsOrFailsCleanly(b);
  }

  @Property(tries = 150)
  void truncated_copies_load_or_fail_with_model_load_exception(
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int cut) throws IOException {
    int length = cut % 3 == 0 ? cut % original.length : cut % (headerSize + 64);
    loadsOrFailsCleanly(java.util.Arrays.copyOf(original, length));
  }

  @Property(tries = 200)
  void mutated_length_fields_load_or_fail_with_model_load_exception(
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position,
      @ForAll @IntRange(min = 0, max = 7) int byteIndex) throws IOException {
    byte[] b = original.clone();
    int p = (position % (headerSize - 8)) & ~7;
    b[p + byteIndex] = (byte) 0xFF;
    loadsOrFailsCleanly(b);
  }
}
