package dev.banter.cli.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchModelTest {
  @Test
  void bench_1b_gets_more_bits_in_the_layers_llama_cpp_lists_for_22_layers() {
    List<Integer> more = new ArrayList<>();
    for (int l = 0; l < 22; l++) {
      if (BenchModel.useMoreBits(l, 22)) {
        more.add(l);
      }
    }
    assertEquals(List.of(0, 1, 4, 7, 10, 13, 16, 19, 20, 21), more);
  }

  @Test
  void a_shape_heads_cannot_split_is_refused_naming_the_numbers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BenchModel.Shape(256, 2, 3, 1, 512, 64));
    assertTrue(e.getMessage().contains("dim 256, 3 heads"), e.getMessage());
  }
}
