package dev.banter.local.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed files fail fast with a ModelLoadException naming the file, the offset and the problem. */
class GgufHostileFileTest {
  @TempDir Path dir;

  private ModelLoadException fails(byte[] bytes, String expectedText, long expectedOffset) throws IOException {
    Path f = dir.resolve("bad.gguf");
    Files.write(f, bytes);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> GgufFile.open(f).close());
    assertTrue(e.getMessage().contains(expectedText), e.getMessage());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertEquals(f.toString(), e.file().orElse(null));
    if (expectedOffset >= 0) {
      assertEquals(expectedOffset, e.offset().getAsLong(), e.getMessage());
    }
    return e;
  }

  @Test
  void an_empty_file_is_too_short() throws IOException {
    fails(new byte[0], "too short", 0);
  }

  @Test
  void wrong_magic_is_not_a_gguf_file() throws IOException {
    byte[] b = Raw.header(3, 0, 0).build();
    b[0] = 'X';
    fails(b, "not a GGUF file", 0);
  }

  @Test
  void version_1_is_refused() throws IOException {
    fails(Raw.header(1, 0, 0).build(), "version 1", 4);
  }

  @Test
  void a_big_endian_file_is_named_as_such() throws IOException {
    fails(Raw.header(0x03000000, 0, 0).build(), "big-endian", 4);
  }

  @Test
  void an_absurd_metadata_count_fails_before_allocating() throws IOException {
    fails(Raw.header(3, 0, 1L << 60).zeros(64).build(), "metadata entries", 16);
  }

  @Test
  void an_absurd_tensor_count_fails_before_allocating() throws IOException {
    fails(Raw.header(3, Long.MAX_VALUE, 0).zeros(64).build(), "tensors", 8);
  }

  @Test
  void a_string_longer_than_the_file_fails() throws IOException {
    fails(Raw.header(3, 0, 1).u64(1L << 40).zeros(8).build(), "has length", 24);
  }

  @Test
  void an_unknown_value_type_fails() throws IOException {
    fails(Raw.header(3, 0, 1).str("k").u32(99).zeros(8).build(), "unknown value type id 99", 33);
  }

  @Test
  void an_absurd_array_count_fails() throws IOException {
    Raw r = Raw.header(3, 0, 1).str("k").u32(GgufType.ARRAY.id()).u32(GgufType.UINT64.id());
    long at = r.size();
    fails(r.u64(1L << 40).zeros(16).build(), "elements", at);
  }

  @Test
  void nested_arrays_deeper_than_the_limit_fail() throws IOException {
    Raw r = Raw.header(3, 0, 1).str("bomb").u32(GgufType.ARRAY.id());
    for (int i = 0; i < 100_000; i++) {
      r.u32(GgufType.ARRAY.id()).u64(1);
    }
    fails(r.build(), "nests arrays deeper", -1);
  }

  @Test
  void truncation_inside_the_metadata_names_the_end_of_file() throws IOException {
    Raw r = Raw.header(3, 0, 2).kvU32("a", 1).str("b").u32(GgufType.UINT64.id()).u8(1);
    fails(r.build(), "end of file", -1);
  }

  @Test
  void a_duplicate_key_fails() throws IOException {
    fails(Raw.header(3, 0, 2).kvU32("a", 1).kvU32("a", 2).build(), "duplicate metadata key 'a'", 24 + 17);
  }

  @Test
  void an_alignment_that_is_not_a_power_of_two_fails() throws IOException {
    fails(Raw.header(3, 0, 1).kvU32("general.alignment", 48).build(), "power of two", -1);
  }

  @Test
  void an_unknown_tensor_type_fails() throws IOException {
    Raw r = Raw.header(3, 1, 0).tensor("t", 77, 0, 4);
    fails(r.pad(32).zeros(32).build(), "unknown ggml type id 77", -1);
  }

  @Test
  void too_many_dimensions_fail() throws IOException {
    fails(Raw.header(3, 1, 0).tensor("t", 0, 0, 1, 1, 1, 1, 1).pad(32).zeros(32).build(), "5 dimensions", -1);
  }

  @Test
  void a_row_that_is_not_whole_blocks_fails() throws IOException {
    fails(Raw.header(3, 1, 0).tensor("t", 8, 0, 33).pad(32).zeros(64).build(), "block size 32", -1);
  }

  @Test
  void an_element_count_overflowing_64_bits_fails() throws IOException {
    fails(Raw.header(3, 1, 0).tensor("t", 0, 0, 1L << 40, 1L << 40).pad(32).build(), "overflows", -1);
  }

  @Test
  void a_misaligned_tensor_offset_fails() throws IOException {
    fails(Raw.header(3, 1, 0).tensor("t", 0, 4, 1).pad(32).zeros(64).build(), "not a multiple of the alignment 32", -1);
  }

  @Test
  void a_tensor_beyond_the_end_of_the_file_fails() throws IOException {
    Raw r = Raw.header(3, 1, 0).tensor("t", 0, 1L << 50, 8).pad(32).zeros(32);
    fails(r.build(), "lies outside the file", 24);
  }

  @Test
  void a_tensor_cut_short_by_truncation_fails() throws IOException {
    fails(Raw.header(3, 1, 0).tensor("t", 0, 0, 64).pad(32).zeros(100).build(), "truncated", 24);
  }

  @Test
  void overlapping_tensors_fail() throws IOException {
    Raw r = Raw.header(3, 2, 0).tensor("a", 0, 0, 16).tensor("b", 0, 32, 16).pad(32).zeros(128);
    fails(r.build(), "overlap", -1);
  }

  @Test
  void a_duplicate_tensor_name_fails() throws IOException {
    Raw r = Raw.header(3, 2, 0).tensor("a", 0, 0, 8).tensor("a", 0, 32, 8).pad(32).zeros(64);
    fails(r.build(), "duplicate tensor name 'a'", -1);
  }

  @Test
  void a_missing_file_is_a_model_load_error() {
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> GgufFile.open(dir.resolve("none.gguf")));
    assertTrue(e.getMessage().contains("none.gguf"), e.getMessage());
  }
}
