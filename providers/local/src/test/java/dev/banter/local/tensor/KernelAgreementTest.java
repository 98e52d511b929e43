package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scalar kernels against the plain definition (dequantize, then a float dot product), and
 * the Vector API kernels against the scalar ones, on random rows of every type. Both kernel
 * classes are called directly, so both paths are tested whatever the JVM selects.
 */
class KernelAgreementTest {
  private static final double TOLERANCE = 1e-5;

  private static int colsFor(GgmlType type) {
    switch (type) {
      case F32:
      case F16:
      case BF16:
        return 100;                                  // not a multiple of any vector length
      case Q8_0:
      case Q4_0:
      case Q4_1:
      case Q5_0:
      case Q5_1:
      case IQ4_NL:
      case MXFP4:
        return 32 * 7;
      default:
        return 256 * 3;
    }
  }

  private static void assertClose(double want, double got, double scale, String what) {
    assertTrue(Math.abs(want - got) <= TOLERANCE * scale + 1e-30,
        what + ": want " + want + ", got " + got + " (scale " + scale + ")");
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K", "Q4_1", "Q5_0", "Q5_1", "IQ4_NL", "MXFP4", "Q2_K", "Q3_K", "IQ4_XS"})
  void scalar_dot_equals_dequantize_then_float_dot(GgmlType type) {
    Random rnd = new Random(type.ordinal());
    int cols = colsFor(type);
    int rows = 9;
    ByteBuffer w = TestData.randomRows(type, rows, cols, rnd);
    int rowBytes = (int) type.byteSize(cols);
    float[] x = TestData.gaussian(cols + 3, rnd);
    float[] row = new float[cols];
    for (int r = 0; r < rows; r++) {
      ScalarKernels.dequantizeRow(type, w, r * rowBytes, row, 0, cols);
      double[] ref = TestData.referenceDot(row, 0, x, 3, cols);
      float got = ScalarKernels.dot(type, w, r * rowBytes, x, 3, cols);
      assertClose(ref[0], got, ref[1], type + " row " + r);
    }
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K", "Q4_1", "Q5_0", "Q5_1", "IQ4_NL", "MXFP4", "Q2_K", "Q3_K", "IQ4_XS"})
  void vector_matvec_agrees_with_scalar_matvec_on_odd_row_counts(GgmlType type) {
    Random rnd = new Random(100 + type.ordinal());
    int cols = colsFor(type);
    for (int rows : new int[] {1, 7, 13, 37}) {
      ByteBuffer w = TestData.randomRows(type, rows, cols, rnd);
      int rowBytes = (int) type.byteSize(cols);
      float[] x = TestData.gaussian(cols + 5, rnd);
      float[] scalar = new float[rows + 2];
      float[] vector = new float[rows + 2];
      ScalarKernels.matvec(type, w, rowBytes, cols, x, 5, scalar, 2, 0, rows);
      VectorKernels.matvec(type, w, rowBytes, cols, x, 5, vector, 2, 0, rows, new Scratch());
      float[] row = new float[cols];
      for (int r = 0; r < rows; r++) {
        ScalarKernels.dequantizeRow(type, w, r * rowBytes, row, 0, cols);
        double scale = TestData.referenceDot(row, 0, x, 5, cols)[1];
        assertClose(scalar[2 + r], vector[2 + r], scale, type + " " + rows + " rows, row " + r);
      }
      assertEquals(0f, vector[0]);
      assertEquals(0f, vector[1]);
    }
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_K", "Q6_K", "Q5_0", "MXFP4", "Q2_K", "IQ4_XS"})
  void vector_matvec_agrees_with_scalar_across_several_copied_chunks(GgmlType type) {
    Random rnd = new Random(600 + type.ordinal());
    int cols = colsFor(type);
    int rowBytes = (int) type.byteSize(cols);
    int rows = 2 * VectorKernels.CHUNK_BYTES / rowBytes + 7;   // three chunks, the last one odd
    ByteBuffer w = TestData.randomRows(type, rows, cols, rnd);
    float[] x = TestData.gaussian(cols, rnd);
    float[] scalar = new float[rows];
    float[] vector = new float[rows];
    ScalarKernels.matvec(type, w, rowBytes, cols, x, 0, scalar, 0, 1, rows);
    VectorKernels.matvec(type, w, rowBytes, cols, x, 0, vector, 0, 1, rows, new Scratch());
    float[] row = new float[cols];
    for (int r = 1; r < rows; r++) {
      ScalarKernels.dequantizeRow(type, w, r * rowBytes, row, 0, cols);
      double scale = TestData.referenceDot(row, 0, x, 0, cols)[1];
      assertClose(scalar[r], vector[r], scale, type + " row " + r + " of " + rows);
    }
    assertEquals(0f, vector[0]);
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K", "Q4_1", "Q5_0", "Q5_1", "IQ4_NL", "MXFP4", "Q2_K", "Q3_K", "IQ4_XS"})
  void vector_matvec_of_a_row_range_touches_only_those_rows(GgmlType type) {
    Random rnd = new Random(200 + type.ordinal());
    int cols = colsFor(type);
    int rows = 11;
    ByteBuffer w = TestData.randomRows(type, rows, cols, rnd);
    int rowBytes = (int) type.byteSize(cols);
    float[] x = TestData.gaussian(cols, rnd);
    float[] all = new float[rows];
    float[] part = new float[rows];
    VectorKernels.matvec(type, w, rowBytes, cols, x, 0, all, 0, 0, rows, new Scratch());
    VectorKernels.matvec(type, w, rowBytes, cols, x, 0, part, 0, 3, 8, new Scratch());
    for (int r = 0; r < rows; r++) {
      assertEquals(r >= 3 && r < 8 ? all[r] : 0f, part[r], "row " + r);
    }
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K", "Q4_1", "Q5_0", "Q5_1", "IQ4_NL", "MXFP4", "Q2_K", "Q3_K", "IQ4_XS"})
  void vector_dequantize_agrees_with_scalar_dequantize(GgmlType type) {
    Random rnd = new Random(300 + type.ordinal());
    int cols = colsFor(type);
    int rows = 3;
    ByteBuffer w = TestData.randomRows(type, rows, cols, rnd);
    // With the slack after the data that the kernels' callers provide (a 4-lane byte load reads 8).
    byte[] bytes = new byte[w.capacity() + Scratch.SLACK];
    w.duplicate().get(bytes, 0, w.capacity());
    int rowBytes = (int) type.byteSize(cols);
    float[] s = new float[cols];
    float[] v = new float[cols];
    for (int r = 0; r < rows; r++) {
      ScalarKernels.dequantizeRow(type, w, r * rowBytes, s, 0, cols);
      VectorKernels.dequantize(type, bytes, r * rowBytes, v, 0, cols);
      float max = 0;
      for (float f : s) {
        max = Math.max(max, Math.abs(f));
      }
      for (int j = 0; j < cols; j++) {
        assertEquals(s[j], v[j], max * 1e-6, type + " [" + r + ", " + j + "]");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K", "Q4_1", "Q5_0", "Q5_1", "IQ4_NL", "MXFP4", "Q2_K", "Q3_K", "IQ4_XS"})
  void vector_matmul_agrees_with_scalar_matmul(GgmlType type) {
    Random rnd = new Random(400 + type.ordinal());
    int cols = colsFor(type);
    int rows = 23;
    int n = 5;
    ByteBuffer w = TestData.randomRows(type, rows, cols, rnd);
    int rowBytes = (int) type.byteSize(cols);
    float[] x = TestData.gaussian(n * cols, rnd);
    float[] scalar = new float[n * rows];
    float[] vector = new float[n * rows];
    ScalarKernels.matmul(type, w, rowBytes, cols, rows, x, 0, n, scalar, 0, 0, rows);
    VectorKernels.matmul(type, w, rowBytes, cols, rows, x, 0, n, vector, 0, 0, rows, new Scratch());
    float[] row = new float[cols];
    for (int r = 0; r < rows; r++) {
      ScalarKernels.dequantizeRow(type, w, r * rowBytes, row, 0, cols);
      for (int t = 0; t < n; t++) {
        double scale = TestData.referenceDot(row, 0, x, t * cols, cols)[1];
        assertClose(scalar[t * rows + r], vector[t * rows + r], scale, type + " token " + t + " row " + r);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32", "Q8_0", "Q4_K", "Q6_K", "Q5_1", "IQ4_NL", "Q3_K"})
  void scalar_matmul_is_matvec_per_token(GgmlType type) {
    Random rnd = new Random(500 + type.ordinal());
    int cols = colsFor(type);
    int rows = 19;
    int n = 4;
    ByteBuffer w = TestData.randomRows(type, rows, cols, rnd);
    int rowBytes = (int) type.byteSize(cols);
    float[] x = TestData.gaussian(n * cols, rnd);
    float[] batch = new float[n * rows];
    ScalarKernels.matmul(type, w, rowBytes, cols, rows, x, 0, n, batch, 0, 0, rows);
    for (int t = 0; t < n; t++) {
      float[] one = new float[rows];
      ScalarKernels.matvec(type, w, rowBytes, cols, x, t * cols, one, 0, 0, rows);
      float[] slice = new float[rows];
      System.arraycopy(batch, t * rows, slice, 0, rows);
      assertArrayEquals(one, slice);
    }
  }

  @Test
  void both_q4_k_scale_decodes_give_the_scales_and_corrections_of_the_format() {
    Random rnd = new Random(700);
    int cols = 256 * 3;
    int rows = 5;
    int nb = cols / 256;
    int rowBytes = (int) GgmlType.Q4_K.byteSize(cols);
    ByteBuffer w = TestData.randomRows(GgmlType.Q4_K, rows, cols, rnd);
    byte[] bytes = new byte[w.capacity() + 64];
    w.duplicate().get(bytes, 0, w.capacity());
    float[] xsum = TestData.gaussian(cols / 32, rnd);
    float[] xw = new float[2 * cols / 32];
    for (int i = 0; i < nb; i++) {
      for (int s = 0; s < 8; s++) {
        xw[16 * i + (s < 4 ? s : s + 4) + 4] = xsum[8 * i + s];
      }
    }
    float[] twoPass = new float[rows * nb * 16];
    float[] corrTwoPass = new float[rows];
    byte[] packed = new byte[rows * nb * 16 + Scratch.SLACK];
    float[] dd = new float[rows * nb * 2];
    VectorKernels.unpackScalesK4(bytes, rowBytes, rows, nb, Q4_K.TYPE_SIZE, packed, dd);
    VectorKernels.scalesK4(packed, dd, rows, nb, xw, 0, twoPass, corrTwoPass, 0);
    for (int r = 0; r < rows; r++) {
      double corr = 0;
      for (int i = 0; i < nb; i++) {
        int b = r * rowBytes + i * Q4_K.TYPE_SIZE;
        float d = F16.toFloat(w.getShort(b));
        float dmin = F16.toFloat(w.getShort(b + 2));
        for (int s = 0; s < 8; s++) {
          int lane = s < 4 ? s : s + 4;
          assertEquals(d * Q4_K.scale(w, b + Q4_K.SCALES, s), twoPass[(r * nb + i) * 16 + lane], 0f);
          assertEquals(dmin * Q4_K.min(w, b + Q4_K.SCALES, s), twoPass[(r * nb + i) * 16 + lane + 4], 0f);
          corr += (double) dmin * Q4_K.min(w, b + Q4_K.SCALES, s) * xsum[8 * i + s];
        }
      }
      assertEquals(corr, corrTwoPass[r], 1e-4 * (1 + Math.abs(corr)), "row " + r);
    }
    if (VectorKernels.L == 16) {
      float[] direct = new float[rows * nb * 16];
      float[] corrDirect = new float[rows];
      VectorKernels.scalesK4Direct(bytes, rowBytes, rows, nb, xw, 0, direct, corrDirect, 0);
      assertArrayEquals(twoPass, direct);
      assertArrayEquals(corrTwoPass, corrDirect);
    }
  }

  @Test
  void vector_f16_conversion_is_exact_for_every_half_including_specials() {
    byte[] bytes = new byte[2 * 65536];
    for (int h = 0; h < 65536; h++) {
      bytes[2 * h] = (byte) h;
      bytes[2 * h + 1] = (byte) (h >> 8);
    }
    float[] v = new float[65536];
    VectorKernels.dequantizeF16(bytes, 0, v, 0, 65536);
    for (int h = 0; h < 65536; h++) {
      assertEquals(Float.floatToRawIntBits(F16.toFloat((short) h)), Float.floatToRawIntBits(v[h]),
          "half " + Integer.toHexString(h));
    }
  }

  @Test
  void vector_kernels_are_selected_when_the_module_is_present() {
    Assumptions.assumeTrue(Boolean.parseBoolean(System.getProperty("banter.vector", "true")),
        "the scalar path was forced with -Dbanter.vector=false");
    assertTrue(VectorKernels.usable(), "this machine's vector unit should suit the kernels");
    assertTrue(WeightMatrix.vectorized(), "surefire runs with --add-modules jdk.incubator.vector");
  }

  @Test
  void the_scalar_path_is_selected_when_forced() {
    Assumptions.assumeFalse(Boolean.parseBoolean(System.getProperty("banter.vector", "true")));
    assertTrue(!WeightMatrix.vectorized());
  }
}
