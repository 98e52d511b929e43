package dev.banter.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackendLoadTest {
  @Test
  void loads_add_up_and_give_the_cache_use() {
    BackendLoad sum = BackendLoad.of(1, 4, 2, 1024, 4096).plus(BackendLoad.of(0, 1, 0, 0, 4096));
    assertEquals(BackendLoad.of(1, 5, 2, 1024, 8192), sum);
    assertEquals(0.125, sum.cacheUse());
    assertEquals(0.0, BackendLoad.NONE.cacheUse(), "no cache is not a division by zero");
  }

  @Test
  void a_part_larger_than_its_whole_or_a_negative_count_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> BackendLoad.of(5, 4, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> BackendLoad.of(0, 4, 0, 10, 5));
    assertThrows(IllegalArgumentException.class, () -> BackendLoad.of(0, 4, -1, 0, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendLoad.of(-1, 4, 0, 0, 0));
    assertEquals(true, e.getMessage().contains("busy=-1/4"), e.getMessage());
  }
}
