package dev.banter.samples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoModelTest {
  @Test
  void the_model_is_extracted_once_and_a_damaged_copy_is_replaced(@TempDir Path dir) throws Exception {
    Path p = DemoModel.extractTo(dir);
    assertEquals(7012704, Files.size(p));
    long written = Files.getLastModifiedTime(p).toMillis();
    assertEquals(p, DemoModel.extractTo(dir));
    assertEquals(written, Files.getLastModifiedTime(p).toMillis(), "an intact copy is kept");
    Files.write(p, new byte[] {1, 2, 3});
    Path again = DemoModel.extractTo(dir);
    assertEquals(7012704, Files.size(again));
    assertTrue(Files.list(dir).noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no partial file left");
  }
}
