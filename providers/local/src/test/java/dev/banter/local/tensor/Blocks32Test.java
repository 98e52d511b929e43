package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The 32-weight blocks added after Q4_0 and Q8_0: {@link Q4_1}, {@link Q5_0}, {@link Q5_1},
 * {@link IQ4_NL} and {@link MXFP4}. Hand-built blocks pin the layouts (nibble halves, the fifth
 * bit from {@code qh}, the tables, E8M0 scales); the quantizers are held to bytes produced by
 * ggml's own {@code quantize_row_*_ref}; random blocks with extreme scales hold the scalar dot to
 * its definition and the Vector API kernels ({@link VectorBlocks32}, through {@link
 * VectorKernels} and {@link WeightMatrix}) to the scalar ones. The pom runs this class again with
 * 8 float lanes; 16 lanes are covered only where the machine has AVX-512.
 */
class Blocks32Test {
  private static final GgmlType[] TYPES = {
    GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.IQ4_NL, GgmlType.MXFP4
  };
  /** Relative tolerance of two float sums of the same products in another order. */
  private static final double TOLERANCE = 1e-5;

  // ---------------------------------------------------------------- sizes

  @Test
  void each_format_has_the_block_geometry_of_ggml() {
    assertGeometry(GgmlType.Q4_1, Q4_1.BLOCK_SIZE, Q4_1.TYPE_SIZE, 20);
    assertGeometry(GgmlType.Q5_0, Q5_0.BLOCK_SIZE, Q5_0.TYPE_SIZE, 22);
    assertGeometry(GgmlType.Q5_1, Q5_1.BLOCK_SIZE, Q5_1.TYPE_SIZE, 24);
    assertGeometry(GgmlType.IQ4_NL, IQ4_NL.BLOCK_SIZE, IQ4_NL.TYPE_SIZE, 18);
    assertGeometry(GgmlType.MXFP4, MXFP4.BLOCK_SIZE, MXFP4.TYPE_SIZE, 17);
    for (GgmlType t : TYPES) {
      assertTrue(t.supported(), t + " is marked supported");
    }
  }

  private static void assertGeometry(GgmlType type, int blockSize, int typeSize, int bytes) {
    assertEquals(32, blockSize, type.toString());
    assertEquals(bytes, typeSize, type.toString());
    assertEquals(type.blockSize(), blockSize, type.toString());
    assertEquals(type.typeSize(), typeSize, type.toString());
  }

  // ---------------------------------------------------------------- hand-built blocks

  @Test
  void q4_1_weight_is_scale_times_nibble_plus_min() {
    ByteBuffer b = TestData.le(Q4_1.TYPE_SIZE);
    b.putShort(0, (short) 0x3800);                // d = 0.5
    b.putShort(2, (short) 0xC000);                // m = -2
    b.put(4, (byte) 0x9F);                        // weight 0: 15, weight 16: 9
    b.put(19, (byte) 0x08);                       // weight 15: 8, weight 31: 0
    float[] y = dequantizeBoth(GgmlType.Q4_1, b, 32);
    assertEquals(5.5f, y[0]);
    assertEquals(2.5f, y[16]);
    assertEquals(-2f, y[1]);
    assertEquals(2f, y[15]);
    assertEquals(-2f, y[31]);
  }

  @Test
  void q5_0_takes_bit_4_of_weight_k_from_bit_k_of_little_endian_qh() {
    ByteBuffer b = TestData.le(Q5_0.TYPE_SIZE);
    b.putShort(0, (short) 0x4000);                // d = 2
    b.put(2, (byte) 0x01).put(4, (byte) 0x01).put(5, (byte) 0x80); // qh = 0x80010001: bits 0, 16, 31
    b.put(6, (byte) 0x3A);                        // weight 0: 10 | 16, weight 16: 3 | 16
    b.put(21, (byte) 0xF0);                       // weight 15: 0, weight 31: 15 | 16
    float[] y = dequantizeBoth(GgmlType.Q5_0, b, 32);
    assertEquals(2 * (26 - 16), y[0]);
    assertEquals(2 * (19 - 16), y[16]);
    assertEquals(2 * (0 - 16), y[1]);             // no bit, nibble 0: the most negative level
    assertEquals(2 * (0 - 16), y[15]);
    assertEquals(2 * (31 - 16), y[31]);
    assertEquals(2 * (0 - 16), y[17]);
  }

  @Test
  void q5_1_weight_is_scale_times_five_bit_quant_plus_min() {
    ByteBuffer b = TestData.le(Q5_1.TYPE_SIZE);
    b.putShort(0, (short) 0x3400);                // d = 0.25
    b.putShort(2, (short) 0x3C00);                // m = 1
    b.put(4, (byte) 0x01).put(6, (byte) 0x01).put(7, (byte) 0x80); // qh = 0x80010001
    b.put(8, (byte) 0x3A);
    b.put(23, (byte) 0xF0);
    float[] y = dequantizeBoth(GgmlType.Q5_1, b, 32);
    assertEquals(26 * 0.25f + 1, y[0]);
    assertEquals(19 * 0.25f + 1, y[16]);
    assertEquals(1f, y[15]);
    assertEquals(31 * 0.25f + 1, y[31]);
  }

  /** The block and its floats printed by ggml's {@code dequantize_row_iq4_nl}. */
  @Test
  void iq4_nl_nibbles_index_the_non_linear_table() {
    ByteBuffer b = TestData.le(IQ4_NL.TYPE_SIZE);
    b.putShort(0, (short) 0xB800);                // d = -0.5
    for (int j = 0; j < 16; j++) {
      b.put(2 + j, (byte) (j | (15 - j) << 4));
    }
    float[] y = dequantizeBoth(GgmlType.IQ4_NL, b, 32);
    float[] ggml = {63.5f, 52, 41.5f, 32.5f, 24.5f, 17.5f, 11, 5, -0.5f, -6.5f, -12.5f, -19, -26.5f,
      -34.5f, -44.5f, -56.5f, -56.5f, -44.5f, -34.5f, -26.5f, -19, -12.5f, -6.5f, -0.5f, 5, 11,
      17.5f, 24.5f, 32.5f, 41.5f, 52, 63.5f};
    assertArrayEquals(ggml, y);
  }

  /**
   * Blocks whose nibbles run 0..15 (low) and 15..0 (high) at E8M0 exponents 0, 1, 127, 254 and
   * 255, against the floats printed by ggml's {@code dequantize_row_mxfp4}: subnormal scales at
   * e = 0 and 1, no NaN at 255, and products past the float range become infinities as in C.
   */
  @Test
  void mxfp4_weights_follow_ggml_at_the_e8m0_edges() {
    assertEquals(0x1p-128f, MXFP4.scale(0));
    assertEquals(0x1p-127f, MXFP4.scale(1));
    assertEquals(0x1p-126f, MXFP4.scale(2));
    assertEquals(0.5f, MXFP4.scale(127));
    assertEquals(1f, MXFP4.scale(128));
    assertEquals(0x1p126f, MXFP4.scale(254));
    assertEquals(0x1p127f, MXFP4.scale(255));
    float[] doubled = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};
    for (int e : new int[] {0, 1, 127, 254, 255}) {
      ByteBuffer b = TestData.le(MXFP4.TYPE_SIZE);
      b.put(0, (byte) e);
      for (int j = 0; j < 16; j++) {
        b.put(1 + j, (byte) (j | (15 - j) << 4));
      }
      float[] y = dequantizeBoth(GgmlType.MXFP4, b, 32);
      float half = (float) Math.pow(2, e - 128);
      for (int j = 0; j < 16; j++) {
        assertEquals(doubled[j] * half, y[j], "e=" + e + " weight " + j);
        assertEquals(doubled[15 - j] * half, y[16 + j], "e=" + e + " weight " + (16 + j));
      }
    }
    ByteBuffer b = TestData.le(MXFP4.TYPE_SIZE);
    b.put(0, (byte) 127).put(1, (byte) 0x7F).put(2, (byte) 0x91);
    float[] y = dequantizeBoth(GgmlType.MXFP4, b, 32);
    assertEquals(-6f, y[0]);                      // E2M1 code 0xF is -6 at scale 2^0
    assertEquals(6f, y[16]);
    assertEquals(0.5f, y[1]);
    assertEquals(-0.5f, y[17]);
    assertEquals(Float.POSITIVE_INFINITY, dequantizeBoth(GgmlType.MXFP4, block(255, 0x07), 32)[0]);
    assertEquals(0x1.8p-125f, dequantizeBoth(GgmlType.MXFP4, block(0, 0x07), 32)[0]);
  }

  private static ByteBuffer block(int e, int q0) {
    ByteBuffer b = TestData.le(MXFP4.TYPE_SIZE);
    b.put(0, (byte) e).put(1, (byte) q0);
    return b;
  }

  /** Scalar dequantization, checked bit for bit against the vector kernel's. */
  private static float[] dequantizeBoth(GgmlType type, ByteBuffer b, int n) {
    float[] s = new float[n];
    ScalarKernels.dequantizeRow(type, b, 0, s, 0, n);
    float[] v = new float[n];
    VectorKernels.dequantize(type, bytes(b), 0, v, 0, n);
    assertArrayEquals(s, v, type + ": vector dequantization differs");
    return s;
  }

  /** The buffer's bytes, with the slack the vector kernels may read past the data (4 lanes). */
  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.capacity() + Scratch.SLACK];
    b.duplicate().clear();
    for (int i = 0; i < b.capacity(); i++) {
      a[i] = b.get(i);
    }
    return a;
  }

  // ---------------------------------------------------------------- quantizers against ggml

  /** 64 values with no pattern a block would favour; the same formula as the C harness. */
  private static float[] input1() {
    float[] x = new float[64];
    for (int j = 0; j < 64; j++) {
      x[j] = ((j * 37) % 64 - 27) * 0.0625f + (j % 5) * 0.013f;
    }
    return x;
  }

  /** A block led by a negative extreme, a constant block (d = 0), and a block in the thousands. */
  private static float[] input2() {
    float[] x = new float[96];
    for (int j = 0; j < 32; j++) {
      x[j] = -(((j * 37) % 64 - 27) * 0.0625f + (j % 5) * 0.013f) * 3.7f;
    }
    for (int j = 32; j < 64; j++) {
      x[j] = 0.75f;
    }
    for (int j = 64; j < 96; j++) {
      x[j] = (j - 80) * 1000.0f + 0.5f;
    }
    return x;
  }

  /**
   * The expected bytes are the output of ggml's {@code quantize_row_q4_1_ref}, {@code
   * quantize_row_q5_0_ref} and {@code quantize_row_q5_1_ref} (llama.cpp's ggml-quants.c, compiled
   * with gcc {@code -O0 -ffp-contract=off}) on {@link #input1} and {@link #input2}, printed as hex.
   */
  @Test
  void quantizers_write_the_bytes_of_ggmls_reference_quantizers() {
    assertQuantized(GgmlType.Q4_1, input1(),
        "4134c0be40d962fb852db751da731c953ec852ea1c3480bec851ea731ca63fc862fb842da740d963");
    assertQuantized(GgmlType.Q5_0, input1(),
        "9bb0954aa5545c5c0707c3838f3a3af6b6b2616d292974b02aa552a96e2a29e5a591505c1918d4938f4c4b07");
    assertQuantized(GgmlType.Q5_1, input1(),
        "1e30c0be2ab55aa980a2d5f71a4c7fa2c4e7183b6d80b3d5f42f80bed54aa55680a2d5f72a4c7f92c4e6193b"
            + "6e80b3d5");
    assertQuantized(GgmlType.Q4_1, input2(),
        "df3b42c8bf269d047ad248ae258ce36ac137ad150000003a00000000000000000000000000000000096"
            + "8d0f380809191a2a2b3b3c4c4d5d5e6e6f7f7");
    assertQuantized(GgmlType.Q5_0, input2(),
        "4238954aa5545c5c0707c3838f3a3af6b6b2616d292900aa000000000000000000000000000000000000"
            + "0000d0630000ffff00112233445566778899aabbccddeeff");
    assertQuantized(GgmlType.Q5_1, input2(),
        "9e3742c8d54aa5567f5d2a08e5b3805d3b18e7c4927f4c2a0000003a00000000000000000000000000000000"
            + "00000000d063d0f30000ffff00112233445566778899aabbccddeeff");
  }

  private static void assertQuantized(GgmlType type, float[] x, String hex) {
    ByteBuffer b = TestData.le((int) type.byteSize(x.length));
    switch (type) {
      case Q4_1 -> Q4_1.quantizeRow(x, 0, b, 0, x.length);
      case Q5_0 -> Q5_0.quantizeRow(x, 0, b, 0, x.length);
      case Q5_1 -> Q5_1.quantizeRow(x, 0, b, 0, x.length);
      default -> throw new IllegalArgumentException(type.toString());
    }
    StringBuilder got = new StringBuilder();
    for (int i = 0; i < b.capacity(); i++) {
      got.append(String.format("%02x", b.get(i) & 0xFF));
    }
    assertEquals(hex, got.toString(), type.toString());
  }

  /** ggml's {@code dequantize_row_q5_0} on the Q5_0 blocks of {@link #input1}, first 8 weights. */
  @Test
  void q5_0_round_trip_gives_ggmls_floats() {
    float[] x = input1();
    ByteBuffer b = TestData.le(2 * Q5_0.TYPE_SIZE);
    Q5_0.quantizeRow(x, 0, b, 0, 64);
    float[] y = dequantizeBoth(GgmlType.Q5_0, b, 64);
    float[] ggml = {-0x1.ba2p+0f, 0x1.26cp-1f, -0x1.01e8p+0f, 0x1.4b98p+0f, -0x1.ba2p-2f,
      0x1.def8p+0f, 0x1.26cp-3f, -0x1.707p+0f};
    for (int j = 0; j < ggml.length; j++) {
      assertEquals(ggml[j], y[j], "weight " + j);
    }
    assertEquals(-0.0f, y[18]);                   // ggml prints -0x0p+0: quant 16 times d < 0
    assertEquals(0x1.0b3p+1f, y[57]);
  }

  /**
   * Round trips stay within the format's step: a weight comes back within half a step {@code d}
   * (plus the rounding of d and m to half precision), as {@code quantize_row_*_ref} rounds to the
   * nearest level; for Q5_0 a value past the last level opposite the largest magnitude is
   * clipped, up to one step.
   */
  @Property(tries = 60)
  void quantize_then_dequantize_is_within_half_a_step(
      @ForAll @IntRange(min = 0, max = 2) int typeIndex, @ForAll long seed) {
    GgmlType type = TYPES[typeIndex];
    Random rnd = new Random(seed);
    int n = 32 * (1 + rnd.nextInt(4));
    float[] x = new float[n];
    float spread = (float) Math.pow(10, rnd.nextInt(7) - 3);
    float shift = (float) rnd.nextGaussian() * spread;
    for (int j = 0; j < n; j++) {
      x[j] = (float) rnd.nextGaussian() * spread + shift;
    }
    ByteBuffer b = TestData.le((int) type.byteSize(n));
    switch (type) {
      case Q4_1 -> Q4_1.quantizeRow(x, 0, b, 0, n);
      case Q5_0 -> Q5_0.quantizeRow(x, 0, b, 0, n);
      default -> Q5_1.quantizeRow(x, 0, b, 0, n);
    }
    float[] y = dequantizeBoth(type, b, n);
    for (int i = 0; i < n / 32; i++) {
      float lo = Float.MAX_VALUE;
      float hi = -Float.MAX_VALUE;
      float amax = 0f;
      for (int j = 32 * i; j < 32 * i + 32; j++) {
        lo = Math.min(lo, x[j]);
        hi = Math.max(hi, x[j]);
        amax = Math.max(amax, Math.abs(x[j]));
      }
      double step = type == GgmlType.Q4_1 ? (hi - lo) / 15.0
          : type == GgmlType.Q5_1 ? (hi - lo) / 31.0 : amax / 16.0;
      // half a step, plus the half-precision rounding of d (relative 2^-11, times up to 31
      // levels) and of m
      double rounding = 32 * step * 0x1p-11 + (Math.abs(lo) + amax) * 0x1p-11;
      for (int j = 32 * i; j < 32 * i + 32; j++) {
        // Q5_0's levels run from -16 d to 15 d with the largest magnitude at -16 d: a value
        // beyond 15 |d| on the other side is clipped to the last level, up to one step away
        boolean clipped = type == GgmlType.Q5_0 && Math.abs(x[j]) > 15 * step;
        double slack = (clipped ? step : 0.5 * step) + rounding;
        assertTrue(Math.abs(x[j] - y[j]) <= slack,
            type + " weight " + j + ": " + x[j] + " came back as " + y[j] + " (step " + step + ")");
      }
    }
  }

  // ---------------------------------------------------------------- random blocks

  /** Halves a scale may take besides ordinary ones: subnormals, the largest, negative zero. */
  private static final short[] EXTREME_HALVES = {
    0x0001, 0x03FF, 0x0400, 0x7BFF, (short) 0xFBFF, (short) 0x8001, (short) 0x8000, 0x0000,
    0x3C00, (short) 0xBC00
  };

  /** A finite half: an extreme one a quarter of the time, else any finite bit pattern. */
  private static short randomHalf(Random rnd) {
    if (rnd.nextInt(4) == 0) {
      return EXTREME_HALVES[rnd.nextInt(EXTREME_HALVES.length)];
    }
    int h;
    do {
      h = rnd.nextInt(1 << 16);
    } while ((h & 0x7C00) == 0x7C00);
    return (short) h;
  }

  /**
   * {@code rows × cols} random blocks: random quant bytes, random scales with extremes; MXFP4
   * exponents from 0 to 200 (past that the products leave the float range) with the edges 0, 1,
   * 2, 127 and 128 favoured.
   */
  static ByteBuffer randomBlocks(GgmlType type, int rows, int cols, Random rnd) {
    int bytes = (int) type.byteSize(cols) * rows;
    ByteBuffer b = TestData.le(bytes);
    for (int i = 0; i < bytes; i++) {
      b.put(i, (byte) rnd.nextInt(256));
    }
    for (int o = 0; o < bytes; o += type.typeSize()) {
      switch (type) {
        case Q4_1, Q5_1 -> b.putShort(o, randomHalf(rnd)).putShort(o + 2, randomHalf(rnd));
        case Q5_0, IQ4_NL -> b.putShort(o, randomHalf(rnd));
        case MXFP4 -> {
          int[] edges = {0, 1, 2, 127, 128};
          b.put(o, (byte) (rnd.nextInt(4) == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextInt(201)));
        }
        default -> throw new IllegalArgumentException(type.toString());
      }
    }
    return b;
  }

  /**
   * The size of the terms a dot product of one row adds: {@code sum |w x|}, and for the formats
   * with a minimum also {@code sum |m| |x|}, since their kernels add {@code m * sum(x)} per block
   * apart from {@code d * sum(q x)}; and a floor for sums of subnormal products.
   */
  private static double magnitude(GgmlType type, ByteBuffer w, int offset, float[] row, float[] x,
      int xOffset, int cols) {
    double mag = TestData.referenceDot(row, 0, x, xOffset, cols)[1];
    if (type == GgmlType.Q4_1 || type == GgmlType.Q5_1) {
      for (int i = 0; i < cols / 32; i++) {
        double m = Math.abs(F16.toFloat(w.getShort(offset + i * type.typeSize() + 2)));
        for (int j = 0; j < 32; j++) {
          mag += m * Math.abs(x[xOffset + 32 * i + j]);
        }
        mag += Math.abs(F16.toFloat(w.getShort(offset + i * type.typeSize()))) * 31 * 32;
      }
    }
    return mag + cols * 16 * (double) Float.MIN_VALUE;
  }

  private static void assertClose(double want, double got, double scale, String what) {
    assertTrue(Math.abs(want - got) <= TOLERANCE * scale,
        what + ": want " + want + ", got " + got + " (scale " + scale + ")");
  }

  @Property(tries = 150)
  void scalar_dot_equals_dequantize_then_dot_and_vector_kernels_agree(
      @ForAll @IntRange(min = 0, max = 4) int typeIndex,
      @ForAll @IntRange(min = 1, max = 12) int blocks,
      @ForAll long seed) {
    GgmlType type = TYPES[typeIndex];
    Random rnd = new Random(seed);
    int cols = 32 * blocks;
    int rows = 3;
    ByteBuffer w = randomBlocks(type, rows, cols, rnd);
    byte[] wb = bytes(w);
    int rowBytes = (int) type.byteSize(cols);
    float[] x = TestData.gaussian(cols + 1, rnd);
    float[] row = new float[cols];
    float[] vrow = new float[cols];
    for (int r = 0; r < rows; r++) {
      ScalarKernels.dequantizeRow(type, w, r * rowBytes, row, 0, cols);
      VectorBlocks32.dequantize(type, wb, r * rowBytes, vrow, 0, cols);
      assertArrayEquals(row, vrow, type + " row " + r + ": vector dequantization");
      double want = TestData.referenceDot(row, 0, x, 1, cols)[0];
      double scale = magnitude(type, w, r * rowBytes, row, x, 1, cols);
      float scalar = ScalarKernels.dot(type, w, r * rowBytes, x, 1, cols);
      float vector = VectorBlocks32.dot(type, wb, r * rowBytes, x, 1, cols);
      assertClose(want, scalar, scale, type + " row " + r + " scalar");
      assertClose(scalar, vector, scale, type + " row " + r + " vector");
    }
  }

  /**
   * IQ4_NL and MXFP4 have two vector paths, one per JDK generation (see VectorBlocks32's
   * SHUFFLE_TABLES); whichever this JDK runs, both are held to the scalar definition here.
   */
  @Property(tries = 100)
  void both_table_lookups_agree_with_the_scalar_kernels(
      @ForAll boolean mxfp4,
      @ForAll @IntRange(min = 1, max = 12) int blocks,
      @ForAll long seed) {
    GgmlType type = mxfp4 ? GgmlType.MXFP4 : GgmlType.IQ4_NL;
    Random rnd = new Random(seed);
    int cols = 32 * blocks;
    ByteBuffer w = randomBlocks(type, 1, cols, rnd);
    byte[] wb = bytes(w);
    float[] x = TestData.gaussian(cols, rnd);
    float[] row = new float[cols];
    float[] shuffled = new float[cols];
    float[] expanded = new float[cols];
    ScalarKernels.dequantizeRow(type, w, 0, row, 0, cols);
    VectorBlocks32.dequantizeTableShuffled(type, wb, 0, shuffled, 0, cols);
    VectorBlocks32.dequantizeTableExpanded(type, wb, 0, expanded, 0, cols, new BlockBuffers().levels);
    assertArrayEquals(row, shuffled, type + ": shuffled dequantization");
    assertArrayEquals(row, expanded, type + ": expanded dequantization");
    double scale = magnitude(type, w, 0, row, x, 0, cols);
    float scalar = ScalarKernels.dot(type, w, 0, x, 0, cols);
    assertClose(scalar, VectorBlocks32.dotTableShuffled(type, wb, 0, x, 0, cols), scale, type + " shuffled dot");
    assertClose(scalar, VectorBlocks32.dotTableExpanded(type, wb, 0, x, 0, cols, new BlockBuffers().levels), scale, type + " expanded dot");
  }

  /** Through the public doors: matvec (copied chunks, one row at a time) and matmul (prefill). */
  @Property(tries = 60)
  void weight_matrix_products_agree_with_the_scalar_reference(
      @ForAll @IntRange(min = 0, max = 4) int typeIndex,
      @ForAll @IntRange(min = 1, max = 30) int rows,
      @ForAll @IntRange(min = 1, max = 5) int n,
      @ForAll long seed) {
    GgmlType type = TYPES[typeIndex];
    Random rnd = new Random(seed);
    int cols = 32 * (1 + rnd.nextInt(28));       // up to 896, Qwen2.5-0.5B's width
    ByteBuffer w = randomBlocks(type, rows, cols, rnd);
    int rowBytes = (int) type.byteSize(cols);
    WeightMatrix m = WeightMatrix.of("w", type, rows, cols, w);
    float[] x = TestData.gaussian(n * cols, rnd);
    float[] got = new float[n * rows];
    float[] want = new float[n * rows];
    m.matmul(x, n, got);
    ScalarKernels.matmul(type, w, rowBytes, cols, rows, x, 0, n, want, 0, 0, rows);
    float[] one = new float[rows];
    m.matvec(x, one);
    float[] row = new float[cols];
    for (int r = 0; r < rows; r++) {
      ScalarKernels.dequantizeRow(type, w, r * rowBytes, row, 0, cols);
      for (int t = 0; t < n; t++) {
        double scale = magnitude(type, w, r * rowBytes, row, x, t * cols, cols);
        assertClose(want[t * rows + r], got[t * rows + r], scale, type + " matmul token " + t + " row " + r);
      }
      assertClose(want[r], one[r], magnitude(type, w, r * rowBytes, row, x, 0, cols),
          type + " matvec row " + r);
    }
  }

  @Test
  void q5_0_rows_as_wide_as_qwen2_5_0_5b_agree_on_both_paths() {
    Random rnd = new Random(896);
    int cols = 896;
    int rows = 64;
    ByteBuffer w = TestData.randomRows(GgmlType.Q5_0, rows, cols, rnd);
    float[] x = TestData.gaussian(cols, rnd);
    float[] scalar = new float[rows];
    float[] vector = new float[rows];
    int rowBytes = (int) GgmlType.Q5_0.byteSize(cols);
    ScalarKernels.matvec(GgmlType.Q5_0, w, rowBytes, cols, x, 0, scalar, 0, 0, rows);
    VectorKernels.matvec(GgmlType.Q5_0, w, rowBytes, cols, x, 0, vector, 0, 0, rows, new Scratch());
    float[] row = new float[cols];
    for (int r = 0; r < rows; r++) {
      ScalarKernels.dequantizeRow(GgmlType.Q5_0, w, r * rowBytes, row, 0, cols);
      assertClose(scalar[r], vector[r], TestData.referenceDot(row, 0, x, 0, cols)[1], "row " + r);
    }
  }
}
