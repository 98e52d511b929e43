package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Q2_K, Q3_K and IQ4_XS over random super-blocks: random quant and scale bytes, and half scales
 * ({@code d}, and {@code dmin} for Q2_K) drawn per block from the extremes as well as the
 * ordinary (subnormal halves, 65504, negatives, zero). The scalar dot product must be the dot
 * product of the dequantized row, the Vector API kernels must agree with the scalar ones, and a
 * {@link WeightMatrix} of several rows must give the scalar reference in {@code matvec} and
 * {@code matmul}. Tolerances are relative to the sum of the magnitudes of the terms (for Q2_K
 * the scale and the min term apart, which may cancel), as float sums in a different order
 * differ by that much. The Vector API kernels are called directly, whatever the JVM selects (as in
 * {@link KernelAgreementTest}); the pom runs this class again at 8 lanes.
 */
class KBlockProperties {
  private static final GgmlType[] TYPES = {GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.IQ4_XS};
  private static final double TOLERANCE = 2e-5;
  /** Smallest and largest subnormal, smallest normal, 65504, their negatives, zero, one. */
  private static final short[] EXTREMES = {
    0x0001, 0x03FF, 0x0400, 0x7BFF, (short) 0x8001, (short) 0x83FF, (short) 0xFBFF, 0, 0x3C00
  };

  private static short anyHalf(Random rnd) {
    if (rnd.nextBoolean()) {
      return EXTREMES[rnd.nextInt(EXTREMES.length)];
    }
    short h;
    do {
      h = (short) rnd.nextInt(1 << 16);
    } while ((h & 0x7C00) == 0x7C00);                 // no infinities or NaNs
    return h;
  }

  private static int dAt(GgmlType type) {
    return type == GgmlType.Q2_K ? Q2_K.D : type == GgmlType.Q3_K ? Q3_K.D : IQ4_XS.D;
  }

  /** {@code blocks} random super-blocks of {@code type}. */
  static ByteBuffer randomBlocks(GgmlType type, int blocks, Random rnd) {
    ByteBuffer b = TestData.le(blocks * type.typeSize());
    byte[] noise = new byte[b.capacity()];
    rnd.nextBytes(noise);
    b.put(noise).flip();
    for (int i = 0; i < blocks; i++) {
      int o = i * type.typeSize();
      b.putShort(o + dAt(type), anyHalf(rnd));
      if (type == GgmlType.Q2_K) {
        b.putShort(o + Q2_K.DMIN, anyHalf(rnd));
      }
    }
    return b;
  }

  /**
   * Per weight, the magnitude of its terms: for Q2_K {@code |d sc q| + |dmin m|} (the row
   * dequantized with dmin zeroed, plus with d zeroed), else {@code |w|}.
   */
  static float[] magnitudes(GgmlType type, ByteBuffer w, int offset, int n) {
    float[] a = new float[n];
    ByteBuffer copy = TestData.le(w.capacity());
    copy.put(w.duplicate().clear()).flip();
    if (type != GgmlType.Q2_K) {
      ScalarKernels.dequantizeRow(type, copy, offset, a, 0, n);
    } else {
      float[] m = new float[n];
      for (int i = 0; i < n / 256; i++) {
        copy.putShort(offset + i * 84 + Q2_K.DMIN, (short) 0);
      }
      ScalarKernels.dequantizeRow(type, copy, offset, a, 0, n);
      copy.put(w.duplicate().clear()).flip();
      for (int i = 0; i < n / 256; i++) {
        copy.putShort(offset + i * 84 + Q2_K.D, (short) 0);
      }
      ScalarKernels.dequantizeRow(type, copy, offset, m, 0, n);
      for (int j = 0; j < n; j++) {
        a[j] = Math.abs(a[j]) + Math.abs(m[j]);
      }
    }
    for (int j = 0; j < n; j++) {
      a[j] = Math.abs(a[j]);
    }
    return a;
  }

  private static double scale(float[] mag, float[] x, int xOffset) {
    double s = 0;
    for (int j = 0; j < mag.length; j++) {
      s += (double) mag[j] * Math.abs(x[xOffset + j]);
    }
    return s;
  }

  private static void assertClose(double want, double got, double scale, String what) {
    assertTrue(Math.abs(want - got) <= TOLERANCE * scale + 1e-30,
        what + ": want " + want + ", got " + got + " (scale " + scale + ")");
  }

  @Property(tries = 300)
  void scalar_dot_is_the_dot_of_the_dequantized_row(
      @ForAll @IntRange(min = 0, max = 2) int typeIndex,
      @ForAll @IntRange(min = 1, max = 4) int blocks,
      @ForAll long seed) {
    GgmlType type = TYPES[typeIndex];
    Random rnd = new Random(seed);
    int n = 256 * blocks;
    ByteBuffer w = randomBlocks(type, blocks, rnd);
    float[] x = TestData.gaussian(n + 1, rnd);
    float[] row = new float[n];
    ScalarKernels.dequantizeRow(type, w, 0, row, 0, n);
    double want = TestData.referenceDot(row, 0, x, 1, n)[0];
    float got = ScalarKernels.dot(type, w, 0, x, 1, n);
    assertClose(want, got, scale(magnitudes(type, w, 0, n), x, 1), type + " seed " + seed);
  }

  @Property(tries = 300)
  void vector_kernels_agree_with_the_scalar_ones(
      @ForAll @IntRange(min = 0, max = 2) int typeIndex,
      @ForAll @IntRange(min = 1, max = 4) int blocks,
      @ForAll @IntRange(min = 0, max = 300) int offset,
      @ForAll long seed) {
    GgmlType type = TYPES[typeIndex];
    Random rnd = new Random(seed);
    int n = 256 * blocks;
    ByteBuffer w = randomBlocks(type, blocks, rnd);
    byte[] bytes = new byte[offset + w.capacity()];
    w.duplicate().get(bytes, offset, w.capacity());
    float[] x = TestData.gaussian(n + 3, rnd);
    float[] mag = magnitudes(type, w, 0, n);
    float want = ScalarKernels.dot(type, w, 0, x, 3, n);
    float got = VectorBlocksK.dot(type, bytes, offset, x, 3, n);
    assertClose(want, got, scale(mag, x, 3), type + " dot, seed " + seed);
    assertEquals(got, VectorKernels.dot(type, bytes, offset, x, 3, n, null), 0f);
    float[] s = new float[n];
    float[] v = new float[n + 2];
    ScalarKernels.dequantizeRow(type, w, 0, s, 0, n);
    VectorBlocksK.dequantize(type, bytes, offset, v, 2, n);
    for (int j = 0; j < n; j++) {
      assertEquals(s[j], v[2 + j], 2 * Math.ulp(mag[j]), type + " weight " + j + ", seed " + seed);
    }
  }

  @Property(tries = 60)
  void weight_matrix_products_agree_with_the_scalar_reference(
      @ForAll @IntRange(min = 0, max = 2) int typeIndex,
      @ForAll @IntRange(min = 1, max = 3) int blocks,
      @ForAll @IntRange(min = 1, max = 21) int rows,
      @ForAll @IntRange(min = 1, max = 6) int tokens,
      @ForAll long seed) {
    GgmlType type = TYPES[typeIndex];
    Random rnd = new Random(seed);
    int cols = 256 * blocks;
    int rowBytes = (int) type.byteSize(cols);
    ByteBuffer w = randomBlocks(type, rows * blocks, rnd);
    WeightMatrix m = WeightMatrix.of("w", type, rows, cols, w.duplicate());
    float[] x = TestData.gaussian(tokens * cols, rnd);
    float[] one = new float[rows];
    float[] batch = new float[tokens * rows];
    m.matvec(x, one);
    m.matmul(x, tokens, batch);
    for (int r = 0; r < rows; r++) {
      float[] mag = magnitudes(type, w, r * rowBytes, cols);
      float want = ScalarKernels.dot(type, w, r * rowBytes, x, 0, cols);
      assertClose(want, one[r], scale(mag, x, 0), type + " matvec row " + r + ", seed " + seed);
      for (int t = 0; t < tokens; t++) {
        float wantT = ScalarKernels.dot(type, w, r * rowBytes, x, t * cols, cols);
        assertClose(wantT, batch[t * rows + r], scale(mag, x, t * cols),
            type + " matmul token " + t + " row " + r + ", seed " + seed);
      }
    }
  }
}
