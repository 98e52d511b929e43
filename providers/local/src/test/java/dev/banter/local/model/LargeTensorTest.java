package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufWriter;
import dev.banter.local.tensor.F16;
import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.WeightMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tensor above 2 GiB (here an F16 "embedding" of 1.1M rows × 1024, 2.25 GB, the size class of
 * an 8B model's 128k-vocabulary embedding in F16) loads on JDK 17: it is mapped in parts of whole
 * rows, and rows on either side of the part boundary read and multiply correctly.
 */
class LargeTensorTest {
  private static final int COLS = 1024;
  private static final int ROWS = 1_100_000;

  /** Row {@code r} holds the value {@code (r % 7) - 3} in every column. */
  private static float value(long r) {
    return (r % 7) - 3;
  }

  @Test
  void an_f16_tensor_above_2_gib_loads_in_parts_and_reads_across_the_boundary(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("large.gguf");
    byte[][] pattern = new byte[7][];
    for (int k = 0; k < 7; k++) {
      ByteBuffer row = ByteBuffer.allocate(COLS * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < COLS; i++) {
        row.putShort(F16.fromFloat(k - 3));
      }
      pattern[k] = row.array();
    }
    GgufWriter.create()
        .putString("general.architecture", "llama")
        .addTensor("token_embd.weight", GgmlType.F16, new long[] {COLS, ROWS}, out -> {
          for (int r = 0; r < ROWS; r++) {
            out.write(pattern[r % 7]);
          }
        })
        .write(file);
    try (GgufFile gguf = GgufFile.open(file)) {
      assertTrue(gguf.tensor("token_embd.weight").byteSize() > Integer.MAX_VALUE);
      WeightMatrix m = new Tensors(gguf).matrix("token_embd.weight", COLS, ROWS);
      int perPart = (int) (Integer.MAX_VALUE / (COLS * 2L));
      float[] row = new float[COLS];
      for (int r : new int[] {0, 1, perPart - 1, perPart, perPart + 1, ROWS - 1}) {
        m.dequantizeRow(r, row, 0);
        assertEquals(value(r), row[0], "row " + r);
        assertEquals(value(r), row[COLS - 1], "row " + r);
      }
      float[] ones = new float[COLS];
      java.util.Arrays.fill(ones, 1f);
      float[] out = new float[ROWS];
      m.matvecRows(ones, 0, out, 0, perPart - 3, perPart + 3);
      for (int r = perPart - 3; r < perPart + 3; r++) {
        assertEquals(COLS * value(r), out[r], "row " + r);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
