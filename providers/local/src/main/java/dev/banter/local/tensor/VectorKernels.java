package dev.banter.local.tensor;

import dev.banter.api.JvmOnly;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels: the same products as {@link ScalarKernels}, {@code L} lanes at a time
 * ({@code L} = 4, 8 or 16 floats), with float32 activations.
 *
 * <p>Weight bytes are copied from the (mapped) buffer into a per-thread {@code byte[]}, 256 KiB of
 * whole rows at a time, with the buffer's bulk get (a memcpy), and vectors are loaded from that
 * array. {@code ByteVector.fromByteBuffer} exists only up to JDK 18 and its successor needs {@code
 * MemorySegment}, which {@code --release 17} cannot name, so heap arrays are the one way that
 * runs on 17 and 25. On JDK 22 and later, decode of Q8_0, Q4_0, Q4_K and Q6_K loads straight from
 * the mapping instead ({@link DirectKernels}); these kernels serve prefill, the other formats and
 * older JVMs. The chunk
 * stays in L2: 8 KiB chunks were 20% slower than 32 KiB, and 256 KiB ones are 5-8% faster at one
 * thread on JDK 25 (fewer, longer copies that the hardware prefetcher streams); 1 MiB is slower.
 *
 * <p>Activations stay float32. Quantizing them to int8 as llama.cpp does pays off there through
 * {@code vpmaddubsw}/{@code vpdpbusd}; the Vector API has no widening multiply-add, and counted
 * per Q8_0 block the int16 route (widen, multiply, widen the products to int, convert, FMA) takes
 * more vector operations than widening the weights to float and using FMA.
 *
 * <p>Decode: each format has its own chunk loop (one shared loop, profiled with several formats,
 * compiled some of them at half speed). Q8_0, Q4_0 and Q4_K take four rows per pass (each slice
 * of x loaded once for four rows). Every kernel body must stay small enough for C2 to inline all
 * its Vector API calls: past {@code NodeCountInliningCutoff} vectors are boxed and a kernel runs
 * 3-5× slower. Hence Q4_K and Q6_K decode their scales in a pre-pass per chunk, Q6_K takes one
 * row per pass (a four-row Q6_K kernel exceeded the cutoff), and Q4_0 reads its scales with plain
 * byte loads. Scalar float work in a pre-pass (a conversion and a product per scale) costs as
 * much as the vector work it serves: the pre-passes are vector code too.
 *
 * <p>No vector operation goes through a helper method of ours, however small: once a helper has
 * been compiled on its own (it is hot from many call sites), C2 declines to inline it into
 * kernels compiled later ("already compiled into a big method"), the vectors it takes and returns
 * are boxed, and those kernels run 2-4× slower. With helpers, a JVM that had run Q8_0, Q4_0 and
 * Q4_K products ran Q6_K at 3.4 GB/s instead of 12. Only scalar helpers remain ({@code
 * KernelHelperShapeTest} holds the kernel classes to it). Every quantized
 * path, decode and prefill, also converts with the same two shapes (L bytes to L ints, L ints to
 * L floats). A single-row kernel applies the same operations as the four-row one, so results do
 * not depend on how rows are split between threads. Prefill dequantizes a tile of rows once per
 * batch and multiplies it with the tokens in 4×4 blocks.
 */
@JvmOnly
final class VectorKernels {
  static final VectorSpecies<Float> F = species();
  static final int L = F.length();
  /** L bytes: one byte per float lane. */
  static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
  /** 2L bytes, viewed as L shorts. */
  static final VectorSpecies<Byte> B2 = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 16)));
  /** 4L bytes, viewed as L floats. */
  static final VectorSpecies<Byte> B4 = VectorSpecies.of(byte.class, F.vectorShape());
  static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

  /** Bytes of weights copied from the buffer at a time (whole rows; at least one row). */
  static final int CHUNK_BYTES = 256 * 1024;
  /**
   * Whether the CPU has sixteen vector registers rather than thirty-two: x86 below AVX-512 (AVX2
   * and SSE); AArch64's NEON and x86's AVX-512 have thirty-two.
   */
  static final boolean FEW_REGISTERS = L < 16 && !"aarch64".equals(System.getProperty("os.arch"));
  /** Rows dequantized together for the batched product (their floats stay in L2). */
  static final int MATMUL_ROWS = 16;

  private VectorKernels() {}

  /**
   * The preferred float species, or the one of {@code -Dbanter.vector.bits} (128, 256 or 512): a
   * test knob that runs the 4-lane kernels (ARM NEON's width) on an x86 machine, and the 16-lane
   * kernels on a CPU without AVX-512, where the JDK computes the wider vectors in Java (correct,
   * slow), so every width is checked on every machine.
   */
  private static VectorSpecies<Float> species() {
    String bits = System.getProperty("banter.vector.bits");
    if (bits == null) {
      return FloatVector.SPECIES_PREFERRED;
    }
    return switch (bits) {
      case "128" -> FloatVector.SPECIES_128;
      case "256" -> FloatVector.SPECIES_256;
      case "512" -> FloatVector.SPECIES_512;
      default -> throw new IllegalArgumentException("banter.vector.bits must be 128, 256 or 512, got " + bits);
    };
  }

  /** The kernels' vector width in bits. */
  static int bits() {
    return F.vectorBitSize();
  }

  /**
   * Whether these kernels fit this JVM: 4, 8 or 16 float lanes, little-endian. With 4 lanes (a
   * 128-bit unit: NEON, or x86 with {@code -XX:MaxVectorSize=16}) a byte load still takes the
   * narrowest byte vector, 8 bytes, and uses 4: every byte array a kernel reads has slack after
   * its data ({@link Scratch#SLACK}).
   */
  static boolean usable() {
    return (L == 4 || L == 8 || L == 16) && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  }

  // ---------------------------------------------------------------- products

  /**
   * {@code out[outOffset + r] = row_r . x} for rows {@code [r0, r1)}. Each format has its own
   * loop so that C2 compiles it with its own profile: one shared loop, once it had seen several
   * types (a Q4_K_M model mixes Q4_K and Q6_K), ran Q4_K at half speed.
   */
  static void matvec(GgmlType type, ByteBuffer w, int rowBytes, int cols,
      float[] x, int xOffset, float[] out, int outOffset, int r0, int r1, Scratch s) {
    switch (type) {
      case Q8_0 -> matvecQ8_0(w, rowBytes, cols, x, xOffset, out, outOffset, r0, r1, s);
      case Q4_0 -> matvecQ4_0(w, rowBytes, cols, x, xOffset, out, outOffset, r0, r1, s);
      case Q4_K -> matvecQ4_K(w, rowBytes, cols, x, xOffset, out, outOffset, r0, r1, s);
      case Q6_K -> matvecQ6_K(w, rowBytes, cols, x, xOffset, out, outOffset, r0, r1, s);
      default -> matvecOther(type, w, rowBytes, cols, x, xOffset, out, outOffset, r0, r1, s);
    }
  }

  /** Whole rows per copied chunk, a multiple of four when four or more fit. */
  private static int rowsPerChunk(int rowBytes) {
    int per = Math.max(1, CHUNK_BYTES / rowBytes);
    return per >= 4 ? per & ~3 : per;
  }

  private static void matvecQ8_0(ByteBuffer w, int rowBytes, int cols, float[] x, int xOffset,
      float[] out, int outOffset, int r0, int r1, Scratch s) {
    int per = rowsPerChunk(rowBytes);
    byte[] buf = s.bytes(per * rowBytes);
    for (int r = r0; r < r1; r += per) {
      int nr = Math.min(per, r1 - r);
      w.get(r * rowBytes, buf, 0, nr * rowBytes);
      int k = 0;
      for (; k + 4 <= nr; k += 4) {
        dot4Q8_0(buf, k * rowBytes, rowBytes, x, xOffset, cols, out, outOffset + r + k);
      }
      for (; k < nr; k++) {
        out[outOffset + r + k] = dotQ8_0(buf, k * rowBytes, x, xOffset, cols);
      }
    }
  }

  private static void matvecQ4_0(ByteBuffer w, int rowBytes, int cols, float[] x, int xOffset,
      float[] out, int outOffset, int r0, int r1, Scratch s) {
    float[] xsum = s.xsum(cols / 32);
    blockSums(x, xOffset, cols, xsum);
    float[] x16 = div16(x, xOffset, cols, s);
    int per = rowsPerChunk(rowBytes);
    byte[] buf = s.bytes(per * rowBytes);
    for (int r = r0; r < r1; r += per) {
      int nr = Math.min(per, r1 - r);
      w.get(r * rowBytes, buf, 0, nr * rowBytes);
      int k = 0;
      for (; k + 4 <= nr; k += 4) {
        dot4Q4_0(buf, k * rowBytes, rowBytes, x, xOffset, x16, xsum, cols, out, outOffset + r + k);
      }
      for (; k < nr; k++) {
        out[outOffset + r + k] = dot1Q4_0(buf, k * rowBytes, x, xOffset, x16, xsum, cols);
      }
    }
  }

  private static void matvecQ4_K(ByteBuffer w, int rowBytes, int cols, float[] x, int xOffset,
      float[] out, int outOffset, int r0, int r1, Scratch s) {
    int nb = cols / Q4_K.BLOCK_SIZE;
    float[] xsum = s.xsum(cols / 32);
    blockSums(x, xOffset, cols, xsum);
    float[] xw = s.xsumWide(2 * cols / 32);
    widenSums(xsum, cols / 32, xw);
    float[] x16 = div16(x, xOffset, cols, s);
    int per = rowsPerChunk(rowBytes);
    byte[] buf = s.bytes(per * rowBytes);
    byte[] packed = s.packed(per * nb * 16);
    float[] dd = s.superScales(per * nb * 2);
    float[] scales = s.scales(per * nb * 16);
    float[] corr = s.corrections(per);
    for (int r = r0; r < r1; r += per) {
      int nr = Math.min(per, r1 - r);
      w.get(r * rowBytes, buf, 0, nr * rowBytes);
      if (L == 16) {
        scalesK4Direct(buf, rowBytes, nr, nb, xw, 0, scales, corr, 0);
      } else {
        unpackScalesK4(buf, rowBytes, nr, nb, Q4_K.TYPE_SIZE, packed, dd);
        scalesK4(packed, dd, nr, nb, xw, 0, scales, corr, 0);
      }
      int k = 0;
      for (; k + 4 <= nr; k += 4) {
        dot4Q4_K(buf, k * rowBytes, rowBytes, x, xOffset, x16, cols, scales, k * nb * 16, out,
            outOffset + r + k);
      }
      for (; k < nr; k++) {
        out[outOffset + r + k] = dot1Q4_K(buf, k * rowBytes, x, xOffset, x16, cols, scales, k * nb * 16);
      }
      for (k = 0; k < nr; k++) {
        out[outOffset + r + k] -= corr[k];
      }
    }
  }

  /**
   * The block sums of x at the mins' lanes of each super-block's sixteen unpacked values (see
   * {@link #unpackScalesK4}), zeros at the scales' lanes.
   */
  static void widenSums(float[] xsum, int n, float[] xw) {
    widenSums(xsum, 0, n, xw, 0);
  }

  /** {@link #widenSums(float[], int, float[])} from {@code xsum[from ..]} to {@code xw[to ..]}. */
  static void widenSums(float[] xsum, int from, int n, float[] xw, int to) {
    for (int i = 0; i < n / 8; i++) {
      for (int s = 0; s < 8; s++) {
        xw[to + 16 * i + scaleLane(s)] = 0f;
        xw[to + 16 * i + scaleLane(s) + 4] = xsum[from + 8 * i + s];
      }
    }
  }

  private static void matvecQ6_K(ByteBuffer w, int rowBytes, int cols, float[] x, int xOffset,
      float[] out, int outOffset, int r0, int r1, Scratch s) {
    int nb = cols / Q6_K.BLOCK_SIZE;
    float[] xsum = s.xsum(cols / 16);
    sums16(x, xOffset, cols, xsum);
    int per = rowsPerChunk(rowBytes);
    byte[] buf = s.bytes(per * rowBytes);
    float[] scales = s.scales(per * nb * 16);
    float[] corr = s.corrections(per);
    for (int r = r0; r < r1; r += per) {
      int nr = Math.min(per, r1 - r);
      w.get(r * rowBytes, buf, 0, nr * rowBytes);
      scalesQ6_K(buf, rowBytes, nr, nb, xsum, scales, corr);
      for (int k = 0; k < nr; k++) {
        out[outOffset + r + k] = dot1Q6_K(buf, k * rowBytes, x, xOffset, nb, scales, k * nb * 16)
            - corr[k];
      }
    }
  }

  /** {@code sums[k]} = the sum of x over the k-th run of 16 (for Q6_K's offset of 32). */
  static void sums16(float[] x, int xOffset, int cols, float[] sums) {
    for (int k = 0; k < cols / 16; k++) {
      float t = 0f;
      for (int j = 0; j < 16; j++) {
        t += x[xOffset + 16 * k + j];
      }
      sums[k] = t;
    }
  }

  private static void matvecOther(GgmlType type, ByteBuffer w, int rowBytes, int cols,
      float[] x, int xOffset, float[] out, int outOffset, int r0, int r1, Scratch s) {
    float[] xsum = null;
    if (type == GgmlType.Q5_K) {
      xsum = s.xsum(cols / 32);
      blockSums(x, xOffset, cols, xsum);
    }
    int per = rowsPerChunk(rowBytes);
    byte[] buf = s.bytes(per * rowBytes);
    for (int r = r0; r < r1; r += per) {
      int nr = Math.min(per, r1 - r);
      w.get(r * rowBytes, buf, 0, nr * rowBytes);
      for (int k = 0; k < nr; k++) {
        out[outOffset + r + k] = dot(type, buf, k * rowBytes, x, xOffset, cols, xsum, s.block);
      }
    }
  }

  /** x / 16 (for high nibbles used in place, as 16 q). */
  private static float[] div16(float[] x, int xOffset, int cols, Scratch s) {
    float[] x16 = s.xDiv16(cols);
    div16(x, xOffset, cols, x16, 0);
    return x16;
  }

  private static void div16(float[] x, int xOffset, int cols, float[] x16, int at) {
    int j = 0;
    for (; j < F.loopBound(cols); j += L) {
      FloatVector.fromArray(F, x, xOffset + j).mul(1f / 16).intoArray(x16, at + j);
    }
    for (; j < cols; j++) {
      x16[at + j] = x[xOffset + j] / 16;
    }
  }

  /**
   * The batched product: a tile of rows is expanded to floats once (each weight read once per
   * batch), then multiplied with every token, four rows by four tokens at a time so that each
   * vector load feeds four FMAs.
   */
  static void matmul(GgmlType type, ByteBuffer w, int rowBytes, int cols, int rows,
      float[] x, int xOffset, int n, float[] out, int outOffset, int r0, int r1, Scratch s) {
    if (!FEW_REGISTERS && n > 1 && cols % 2 == 0) {
      matmulPanels(type, w, rowBytes, cols, rows, x, xOffset, n, out, outOffset, r0, r1, s);
      return;
    }
    byte[] buf = s.bytes(MATMUL_ROWS * rowBytes);
    float[] wf = s.rows(MATMUL_ROWS * cols);
    for (int r = r0; r < r1; r += MATMUL_ROWS) {
      int nr = Math.min(MATMUL_ROWS, r1 - r);
      w.get(r * rowBytes, buf, 0, nr * rowBytes);
      for (int k = 0; k < nr; k++) {
        dequantize(type, buf, k * rowBytes, wf, k * cols, cols, s.block);
      }
      int t = 0;
      for (; t + 4 <= n; t += 4) {
        int k = 0;
        if (FEW_REGISTERS) {
          for (; k + 2 <= nr; k += 2) {
            dot2x4(wf, k * cols, cols, x, xOffset + t * cols, out, outOffset + t * rows + r + k, rows);
          }
        } else {
          for (; k + 4 <= nr; k += 4) {
            dot4x4(wf, k * cols, cols, x, xOffset + t * cols, out, outOffset + t * rows + r + k, rows);
          }
        }
        for (; k < nr; k++) {
          for (int u = t; u < t + 4; u++) {
            out[outOffset + u * rows + r + k] = dotF32(wf, k * cols, x, xOffset + u * cols, cols);
          }
        }
      }
      for (; t < n; t++) {
        int k = 0;
        for (; k + 4 <= nr; k += 4) {
          dot4(wf, k * cols, cols, x, xOffset + t * cols, out, outOffset + t * rows + r + k);
        }
        for (; k < nr; k++) {
          out[outOffset + t * rows + r + k] = dotF32(wf, k * cols, x, xOffset + t * cols, cols);
        }
      }
    }
  }

  /**
   * {@link #matmul} through {@link PanelMatmul}: the tokens in whole vectors packed into panels
   * once per call, each tile of rows expanded once and multiplied with them eight rows at a time;
   * rows past the last eight and tokens past the last vector take the row kernels.
   */
  private static void matmulPanels(GgmlType type, ByteBuffer w, int rowBytes, int cols, int rows,
      float[] x, int xOffset, int n, float[] out, int outOffset, int r0, int r1, Scratch s) {
    byte[] buf = s.bytes(MATMUL_ROWS * rowBytes);
    float[] wf = s.rows(MATMUL_ROWS * cols);
    float[] panels = s.panels(PanelMatmul.panelTokens(n) * cols);
    float[] wi = s.interleaved(MATMUL_ROWS * cols);
    PanelMatmul.pack(x, xOffset, cols, n, panels);
    for (int r = r0; r < r1; r += MATMUL_ROWS) {
      int nr = Math.min(MATMUL_ROWS, r1 - r);
      w.get(r * rowBytes, buf, 0, nr * rowBytes);
      for (int k = 0; k < nr; k++) {
        dequantize(type, buf, k * rowBytes, wf, k * cols, cols, s.block);
      }
      PanelMatmul.multiply(wf, nr, cols, wi, panels, n, out, outOffset + r, rows, s.lanes, s.gather);
    }
  }

  /**
   * Four rows ({@code wf[wo + k * cols ..]}) times four tokens ({@code x[xo + u * cols ..]}):
   * {@code out[o + u * rows + k]}. Sixteen accumulators; each loaded vector feeds four FMAs.
   * Per row and token the operations are those of {@link #dot4} and {@link #dotF32}.
   */
  private static void dot4x4(float[] wf, int wo, int cols, float[] x, int xo, float[] out, int o,
      int rows) {
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = FloatVector.zero(F);
    FloatVector a02 = FloatVector.zero(F);
    FloatVector a03 = FloatVector.zero(F);
    FloatVector a10 = FloatVector.zero(F);
    FloatVector a11 = FloatVector.zero(F);
    FloatVector a12 = FloatVector.zero(F);
    FloatVector a13 = FloatVector.zero(F);
    FloatVector a20 = FloatVector.zero(F);
    FloatVector a21 = FloatVector.zero(F);
    FloatVector a22 = FloatVector.zero(F);
    FloatVector a23 = FloatVector.zero(F);
    FloatVector a30 = FloatVector.zero(F);
    FloatVector a31 = FloatVector.zero(F);
    FloatVector a32 = FloatVector.zero(F);
    FloatVector a33 = FloatVector.zero(F);
    int j = 0;
    for (; j < F.loopBound(cols); j += L) {
      FloatVector w0 = FloatVector.fromArray(F, wf, wo + j);
      FloatVector w1 = FloatVector.fromArray(F, wf, wo + cols + j);
      FloatVector w2 = FloatVector.fromArray(F, wf, wo + 2 * cols + j);
      FloatVector w3 = FloatVector.fromArray(F, wf, wo + 3 * cols + j);
      FloatVector x0 = FloatVector.fromArray(F, x, xo + j);
      a00 = w0.fma(x0, a00);
      a01 = w1.fma(x0, a01);
      a02 = w2.fma(x0, a02);
      a03 = w3.fma(x0, a03);
      FloatVector x1 = FloatVector.fromArray(F, x, xo + cols + j);
      a10 = w0.fma(x1, a10);
      a11 = w1.fma(x1, a11);
      a12 = w2.fma(x1, a12);
      a13 = w3.fma(x1, a13);
      FloatVector x2 = FloatVector.fromArray(F, x, xo + 2 * cols + j);
      a20 = w0.fma(x2, a20);
      a21 = w1.fma(x2, a21);
      a22 = w2.fma(x2, a22);
      a23 = w3.fma(x2, a23);
      FloatVector x3 = FloatVector.fromArray(F, x, xo + 3 * cols + j);
      a30 = w0.fma(x3, a30);
      a31 = w1.fma(x3, a31);
      a32 = w2.fma(x3, a32);
      a33 = w3.fma(x3, a33);
    }
    store(a00.reduceLanes(VectorOperators.ADD), a01.reduceLanes(VectorOperators.ADD),
        a02.reduceLanes(VectorOperators.ADD), a03.reduceLanes(VectorOperators.ADD),
        wf, wo, cols, x, xo, j, out, o);
    store(a10.reduceLanes(VectorOperators.ADD), a11.reduceLanes(VectorOperators.ADD),
        a12.reduceLanes(VectorOperators.ADD), a13.reduceLanes(VectorOperators.ADD),
        wf, wo, cols, x, xo + cols, j, out, o + rows);
    store(a20.reduceLanes(VectorOperators.ADD), a21.reduceLanes(VectorOperators.ADD),
        a22.reduceLanes(VectorOperators.ADD), a23.reduceLanes(VectorOperators.ADD),
        wf, wo, cols, x, xo + 2 * cols, j, out, o + 2 * rows);
    store(a30.reduceLanes(VectorOperators.ADD), a31.reduceLanes(VectorOperators.ADD),
        a32.reduceLanes(VectorOperators.ADD), a33.reduceLanes(VectorOperators.ADD),
        wf, wo, cols, x, xo + 3 * cols, j, out, o + 3 * rows);
  }

  /**
   * Two rows times four tokens, for the CPUs whose vector registers {@link #dot4x4}'s sixteen
   * accumulators would overflow: x86 has sixteen below AVX-512 (there C2 kept 7 of them on the
   * stack, a load and a store per FMA). Eight accumulators, two weight vectors and one of x fit,
   * and eight independent FMA chains still cover the FMA latency. Per row and token the
   * operations are those of {@link #dot4x4}.
   */
  private static void dot2x4(float[] wf, int wo, int cols, float[] x, int xo, float[] out, int o, int rows) {
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = FloatVector.zero(F);
    FloatVector a10 = FloatVector.zero(F);
    FloatVector a11 = FloatVector.zero(F);
    FloatVector a20 = FloatVector.zero(F);
    FloatVector a21 = FloatVector.zero(F);
    FloatVector a30 = FloatVector.zero(F);
    FloatVector a31 = FloatVector.zero(F);
    int j = 0;
    for (; j < F.loopBound(cols); j += L) {
      FloatVector w0 = FloatVector.fromArray(F, wf, wo + j);
      FloatVector w1 = FloatVector.fromArray(F, wf, wo + cols + j);
      FloatVector x0 = FloatVector.fromArray(F, x, xo + j);
      a00 = w0.fma(x0, a00);
      a01 = w1.fma(x0, a01);
      FloatVector x1 = FloatVector.fromArray(F, x, xo + cols + j);
      a10 = w0.fma(x1, a10);
      a11 = w1.fma(x1, a11);
      FloatVector x2 = FloatVector.fromArray(F, x, xo + 2 * cols + j);
      a20 = w0.fma(x2, a20);
      a21 = w1.fma(x2, a21);
      FloatVector x3 = FloatVector.fromArray(F, x, xo + 3 * cols + j);
      a30 = w0.fma(x3, a30);
      a31 = w1.fma(x3, a31);
    }
    store2(a00.reduceLanes(VectorOperators.ADD), a01.reduceLanes(VectorOperators.ADD),
        wf, wo, cols, x, xo, j, out, o);
    store2(a10.reduceLanes(VectorOperators.ADD), a11.reduceLanes(VectorOperators.ADD),
        wf, wo, cols, x, xo + cols, j, out, o + rows);
    store2(a20.reduceLanes(VectorOperators.ADD), a21.reduceLanes(VectorOperators.ADD),
        wf, wo, cols, x, xo + 2 * cols, j, out, o + 2 * rows);
    store2(a30.reduceLanes(VectorOperators.ADD), a31.reduceLanes(VectorOperators.ADD),
        wf, wo, cols, x, xo + 3 * cols, j, out, o + 3 * rows);
  }

  /** {@link #store} for two rows. */
  private static void store2(float s0, float s1, float[] wf, int wo, int cols, float[] x, int xo, int j,
      float[] out, int o) {
    for (; j < cols; j++) {
      float xv = x[xo + j];
      s0 += wf[wo + j] * xv;
      s1 += wf[wo + cols + j] * xv;
    }
    out[o] = s0;
    out[o + 1] = s1;
  }

  /**
   * Adds the scalar tail from column {@code j} to one token's four row sums and stores them. The
   * sums come in reduced: a helper that took the accumulators would box them wherever C2 declines
   * to inline it (at 128 bits it declined {@code store2} as "too large" in some compilations of
   * {@link #dot2x4}, and the allocation check failed about once in four builds).
   */
  private static void store(float s0, float s1, float s2, float s3,
      float[] wf, int wo, int cols, float[] x, int xo, int j, float[] out, int o) {
    for (; j < cols; j++) {
      float xv = x[xo + j];
      s0 += wf[wo + j] * xv;
      s1 += wf[wo + cols + j] * xv;
      s2 += wf[wo + 2 * cols + j] * xv;
      s3 += wf[wo + 3 * cols + j] * xv;
    }
    out[o] = s0;
    out[o + 1] = s1;
    out[o + 2] = s2;
    out[o + 3] = s3;
  }

  /** {@code out[o + k] = wf[wo + k * cols ..] . x[xo ..]} for k = 0..3, sharing the loads of x. */
  private static void dot4(float[] wf, int wo, int cols, float[] x, int xo, float[] out, int o) {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    int j = 0;
    for (; j < F.loopBound(cols); j += L) {
      FloatVector xv = FloatVector.fromArray(F, x, xo + j);
      a0 = FloatVector.fromArray(F, wf, wo + j).fma(xv, a0);
      a1 = FloatVector.fromArray(F, wf, wo + cols + j).fma(xv, a1);
      a2 = FloatVector.fromArray(F, wf, wo + 2 * cols + j).fma(xv, a2);
      a3 = FloatVector.fromArray(F, wf, wo + 3 * cols + j).fma(xv, a3);
    }
    float s0 = a0.reduceLanes(VectorOperators.ADD);
    float s1 = a1.reduceLanes(VectorOperators.ADD);
    float s2 = a2.reduceLanes(VectorOperators.ADD);
    float s3 = a3.reduceLanes(VectorOperators.ADD);
    for (; j < cols; j++) {
      float xv = x[xo + j];
      s0 += wf[wo + j] * xv;
      s1 += wf[wo + cols + j] * xv;
      s2 += wf[wo + 2 * cols + j] * xv;
      s3 += wf[wo + 3 * cols + j] * xv;
    }
    out[o] = s0;
    out[o + 1] = s1;
    out[o + 2] = s2;
    out[o + 3] = s3;
  }

  private static float dotF32(float[] wf, int wo, float[] x, int xo, int cols) {
    FloatVector acc = FloatVector.zero(F);
    int j = 0;
    for (; j < F.loopBound(cols); j += L) {
      acc = FloatVector.fromArray(F, wf, wo + j).fma(FloatVector.fromArray(F, x, xo + j), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; j < cols; j++) {
      sum += wf[wo + j] * x[xo + j];
    }
    return sum;
  }

  /** {@code sums[k]} = the sum of x over the k-th run of 32 (for the K-quant mins). */
  static void blockSums(float[] x, int xOffset, int cols, float[] sums) {
    blockSums(x, xOffset, cols, sums, 0);
  }

  /** {@link #blockSums(float[], int, int, float[])} into {@code sums[sumsOffset ..]}. */
  static void blockSums(float[] x, int xOffset, int cols, float[] sums, int sumsOffset) {
    for (int k = 0; k < cols / 32; k++) {
      FloatVector acc = FloatVector.zero(F);
      for (int j = 0; j < 32; j += L) {
        acc = acc.add(FloatVector.fromArray(F, x, xOffset + k * 32 + j));
      }
      sums[sumsOffset + k] = acc.reduceLanes(VectorOperators.ADD);
    }
  }

  // ---------------------------------------------------------------- dispatch

  /**
   * One row's dot product for the types without a scale pre-pass ({@code xsum} holds the block
   * sums of x for Q5_K); Q4_0, Q4_K and Q6_K rows go through {@link #dot1Q4_0}, {@link
   * #dot1Q4_K} and {@link #dot1Q6_K}, and the other blocks of 32 (Q4_1, Q5_0, Q5_1, IQ4_NL,
   * MXFP4) through {@link VectorBlocks32}.
   *
   * <p>Here and in every kernel taking a {@code byte[]} of weights (or of unpacked scales), the
   * array must hold {@link Scratch#SLACK} bytes after the data: with 4 lanes a byte load reads the
   * narrowest byte vector, 8 bytes, and uses 4, so the last slice of a row reads up to 4 bytes
   * past it. {@link Scratch} allocates its byte arrays so; masked or partial loads instead would
   * cost every slice of every row.
   */
  static float dot(GgmlType type, byte[] w, int offset, float[] x, int xOffset, int n, float[] xsum) {
    return dot(type, w, offset, x, xOffset, n, xsum, new BlockBuffers());
  }

  /** {@link #dot(GgmlType, byte[], int, float[], int, int, float[])} with the thread's block buffers. */
  static float dot(GgmlType type, byte[] w, int offset, float[] x, int xOffset, int n, float[] xsum,
      BlockBuffers b) {
    return switch (type) {
      case F32 -> dotF32(w, offset, x, xOffset, n);
      case F16 -> dotF16(w, offset, x, xOffset, n);
      case BF16 -> dotBF16(w, offset, x, xOffset, n);
      case Q8_0 -> dotQ8_0(w, offset, x, xOffset, n);
      case Q5_K -> dotQ5_K(w, offset, x, xOffset, n, xsum);
      case Q4_1, Q5_0, Q5_1, IQ4_NL, MXFP4 -> VectorBlocks32.dot(type, w, offset, x, xOffset, n, b);
      case Q2_K, Q3_K, IQ4_XS -> VectorBlocksK.dot(type, w, offset, x, xOffset, n, b);
      default -> throw new IllegalStateException("no kernel for " + type);
    };
  }

  static void dequantize(GgmlType type, byte[] w, int offset, float[] dst, int dstOffset, int n) {
    dequantize(type, w, offset, dst, dstOffset, n, new BlockBuffers());
  }

  /** {@link #dequantize(GgmlType, byte[], int, float[], int, int)} with the thread's block buffers. */
  static void dequantize(GgmlType type, byte[] w, int offset, float[] dst, int dstOffset, int n, BlockBuffers b) {
    switch (type) {
      case F32 -> dequantizeF32(w, offset, dst, dstOffset, n);
      case F16 -> dequantizeF16(w, offset, dst, dstOffset, n);
      case BF16 -> dequantizeBF16(w, offset, dst, dstOffset, n);
      case Q8_0 -> dequantizeQ8_0(w, offset, dst, dstOffset, n);
      case Q4_0 -> dequantizeQ4_0(w, offset, dst, dstOffset, n);
      case Q4_K -> dequantizeQ4_K(w, offset, dst, dstOffset, n);
      case Q5_K -> dequantizeQ5_K(w, offset, dst, dstOffset, n);
      case Q6_K -> dequantizeQ6_K(w, offset, dst, dstOffset, n);
      case Q4_1, Q5_0, Q5_1, IQ4_NL, MXFP4 ->
          VectorBlocks32.dequantize(type, w, offset, dst, dstOffset, n, b);
      case Q2_K, Q3_K, IQ4_XS -> VectorBlocksK.dequantize(type, w, offset, dst, dstOffset, n, b);
      default -> throw new IllegalStateException("no kernel for " + type);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static float half(byte[] w, int at) {
    return F16.toFloat((short) SHORT_LE.get(w, at));
  }

  /**
   * {@link #half} from two byte loads: slower where it runs alone (Q8_0: 26 -> 23 GB/s on
   * cache-resident weights) but fewer IR nodes, which keeps the fused Q4_0 kernel under C2's
   * inlining limit (with the VarHandle, F16.toFloat stopped inlining and Q4_0 fell by a third).
   */
  static float halfOfBytes(byte[] w, int at) {
    return F16.toFloat((short) ((w[at] & 0xFF) | (w[at + 1] << 8)));
  }

  private static float bfloat(byte[] w, int at) {
    return BF16.toFloat((short) ((w[at] & 0xFF) | (w[at + 1] << 8)));
  }

  static int littleInt(byte[] w, int at) {
    return (w[at] & 0xFF) | (w[at + 1] & 0xFF) << 8 | (w[at + 2] & 0xFF) << 16 | w[at + 3] << 24;
  }

  // ---------------------------------------------------------------- F32, F16, BF16

  // Rows of plain floats may have any length: whole vectors first, then a scalar tail.

  static float dotF32(byte[] w, int offset, float[] x, int xOffset, int n) {
    FloatVector acc = FloatVector.zero(F);
    int j = 0;
    for (; j < F.loopBound(n); j += L) {
      acc = ByteVector.fromArray(B4, w, offset + 4 * j).reinterpretAsFloats()
          .fma(FloatVector.fromArray(F, x, xOffset + j), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; j < n; j++) {
      sum += Float.intBitsToFloat(littleInt(w, offset + 4 * j)) * x[xOffset + j];
    }
    return sum;
  }

  static void dequantizeF32(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int j = 0;
    for (; j < F.loopBound(n); j += L) {
      ByteVector.fromArray(B4, w, offset + 4 * j).reinterpretAsFloats()
          .intoArray(dst, dstOffset + j);
    }
    for (; j < n; j++) {
      dst[dstOffset + j] = Float.intBitsToFloat(littleInt(w, offset + 4 * j));
    }
  }

  static float dotF16(byte[] w, int offset, float[] x, int xOffset, int n) {
    FloatVector acc = FloatVector.zero(F);
    int j = 0;
    for (; j < F.loopBound(n); j += L) {
      IntVector i = (IntVector) ByteVector.fromArray(B2, w, offset + 2 * j).reinterpretAsShorts()
          .convertShape(VectorOperators.S2I, I, 0);
      IntVector mag = i.lanewise(VectorOperators.AND, 0x7FFF).lanewise(VectorOperators.LSHL, 13);
      // Shifting the half's exponent and mantissa into place and scaling by 2^112 rebiases the
      // exponent exactly, subnormals included; infinities and NaNs get the float's top exponent.
      IntVector bits = mag.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
      VectorMask<Integer> special = i.lanewise(VectorOperators.AND, 0x7C00).eq(0x7C00);
      bits = bits.blend(mag.lanewise(VectorOperators.OR, 0x7F800000), special);
      IntVector sign = i.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16);
      FloatVector hv = bits.lanewise(VectorOperators.OR, sign).reinterpretAsFloats();
      acc = hv.fma(FloatVector.fromArray(F, x, xOffset + j), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; j < n; j++) {
      sum += half(w, offset + 2 * j) * x[xOffset + j];
    }
    return sum;
  }

  static void dequantizeF16(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int j = 0;
    for (; j < F.loopBound(n); j += L) {
      IntVector i = (IntVector) ByteVector.fromArray(B2, w, offset + 2 * j).reinterpretAsShorts()
          .convertShape(VectorOperators.S2I, I, 0);
      IntVector mag = i.lanewise(VectorOperators.AND, 0x7FFF).lanewise(VectorOperators.LSHL, 13);
      // Shifting the half's exponent and mantissa into place and scaling by 2^112 rebiases the
      // exponent exactly, subnormals included; infinities and NaNs get the float's top exponent.
      IntVector bits = mag.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
      VectorMask<Integer> special = i.lanewise(VectorOperators.AND, 0x7C00).eq(0x7C00);
      bits = bits.blend(mag.lanewise(VectorOperators.OR, 0x7F800000), special);
      IntVector sign = i.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16);
      FloatVector hv = bits.lanewise(VectorOperators.OR, sign).reinterpretAsFloats();
      hv.intoArray(dst, dstOffset + j);
    }
    for (; j < n; j++) {
      dst[dstOffset + j] = half(w, offset + 2 * j);
    }
  }

  static float dotBF16(byte[] w, int offset, float[] x, int xOffset, int n) {
    FloatVector acc = FloatVector.zero(F);
    int j = 0;
    for (; j < F.loopBound(n); j += L) {
      acc = ((IntVector) ByteVector.fromArray(B2, w, offset + 2 * j).reinterpretAsShorts()
          .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
              .reinterpretAsFloats()
          .fma(FloatVector.fromArray(F, x, xOffset + j), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; j < n; j++) {
      sum += bfloat(w, offset + 2 * j) * x[xOffset + j];
    }
    return sum;
  }

  static void dequantizeBF16(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int j = 0;
    for (; j < F.loopBound(n); j += L) {
      ((IntVector) ByteVector.fromArray(B2, w, offset + 2 * j).reinterpretAsShorts()
          .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
              .reinterpretAsFloats()
          .intoArray(dst, dstOffset + j);
    }
    for (; j < n; j++) {
      dst[dstOffset + j] = bfloat(w, offset + 2 * j);
    }
  }

  // ---------------------------------------------------------------- Q8_0

  static float dotQ8_0(byte[] w, int offset, float[] x, int xOffset, int n) {
    int nb = n / Q8_0.BLOCK_SIZE;
    FloatVector acc = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q8_0.TYPE_SIZE;
      int xb = xOffset + i * Q8_0.BLOCK_SIZE;
      FloatVector blk = FloatVector.zero(F);
      for (int j = 0; j < Q8_0.BLOCK_SIZE; j += L) {
        FloatVector q = ((FloatVector) ((IntVector) ByteVector.fromArray(B, w, b + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0));
        blk = q.fma(FloatVector.fromArray(F, x, xb + j), blk);
      }
      acc = blk.fma(FloatVector.broadcast(F, half(w, b)), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  /**
   * Q8_0 matrix-vector products of {@code tokens} vectors ({@code x[xOffset + t · cols ..]}) over
   * rows {@code [r0, r1)}, results at {@code out[outOffset + t · outStride + r]}: each chunk of rows
   * is copied once, and each row's weights are converted once for two tokens at a time ({@link
   * #dot2Q8_0}); a token's result is bit for bit that of {@link #matvecQ8_0}.
   */
  static void matvecTokensQ8_0(ByteBuffer w, int rowBytes, int cols, float[] x, int xOffset, int tokens,
      float[] out, int outOffset, int outStride, int r0, int r1, Scratch s) {
    int per = rowsPerChunk(rowBytes);
    byte[] buf = s.bytes(per * rowBytes);
    for (int r = r0; r < r1; r += per) {
      int nr = Math.min(per, r1 - r);
      w.get(r * rowBytes, buf, 0, nr * rowBytes);
      for (int k = 0; k < nr; k++) {
        int t = 0;
        for (; t + 2 <= tokens; t += 2) {
          dot2Q8_0(buf, k * rowBytes, x, xOffset + t * cols, xOffset + (t + 1) * cols, cols, out,
              outOffset + t * outStride + r + k, outOffset + (t + 1) * outStride + r + k);
        }
        if (t < tokens) {
          out[outOffset + t * outStride + r + k] = dotQ8_0(buf, k * rowBytes, x, xOffset + t * cols, cols);
        }
      }
    }
  }

  /**
   * {@link #dotQ8_0} of one row with two vectors at once: each weight vector is converted once and
   * enters both tokens' sums, each sum taking exactly the operations {@link #dotQ8_0} applies.
   */
  static void dot2Q8_0(byte[] w, int offset, float[] x, int x0, int x1, int n, float[] out, int o0, int o1) {
    int nb = n / Q8_0.BLOCK_SIZE;
    FloatVector acc0 = FloatVector.zero(F);
    FloatVector acc1 = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q8_0.TYPE_SIZE;
      int xb = i * Q8_0.BLOCK_SIZE;
      FloatVector blk0 = FloatVector.zero(F);
      FloatVector blk1 = FloatVector.zero(F);
      for (int j = 0; j < Q8_0.BLOCK_SIZE; j += L) {
        FloatVector q = ((FloatVector) ((IntVector) ByteVector.fromArray(B, w, b + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0));
        blk0 = q.fma(FloatVector.fromArray(F, x, x0 + xb + j), blk0);
        blk1 = q.fma(FloatVector.fromArray(F, x, x1 + xb + j), blk1);
      }
      FloatVector d = FloatVector.broadcast(F, half(w, b));
      acc0 = blk0.fma(d, acc0);
      acc1 = blk1.fma(d, acc1);
    }
    out[o0] = acc0.reduceLanes(VectorOperators.ADD);
    out[o1] = acc1.reduceLanes(VectorOperators.ADD);
  }

  static void dequantizeQ8_0(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / Q8_0.BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q8_0.TYPE_SIZE;
      FloatVector d = FloatVector.broadcast(F, half(w, b));
      for (int j = 0; j < Q8_0.BLOCK_SIZE; j += L) {
        ((FloatVector) ((IntVector) ByteVector.fromArray(B, w, b + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                .mul(d)
            .intoArray(dst, dstOffset + i * Q8_0.BLOCK_SIZE + j);
      }
    }
  }

  // ---------------------------------------------------------------- Q4_0

  static void dequantizeQ4_0(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / Q4_0.BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q4_0.TYPE_SIZE;
      int y = dstOffset + i * Q4_0.BLOCK_SIZE;
      FloatVector d = FloatVector.broadcast(F, half(w, b));
      for (int j = 0; j < 16; j += L) {
        ByteVector q = ByteVector.fromArray(B, w, b + 2 + j);
        ((FloatVector) ((IntVector) q.lanewise(VectorOperators.AND, (byte) 0xF).sub((byte) 8)
            .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                .mul(d).intoArray(dst, y + j);
        ((FloatVector) ((IntVector) q.lanewise(VectorOperators.LSHR, 4).sub((byte) 8)
            .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                .mul(d).intoArray(dst, y + 16 + j);
      }
    }
  }

  // ---------------------------------------------------------------- Q4_K, Q5_K

  private static int scaleK4(byte[] w, int s, int j) {
    if (j < 4) {
      return w[s + j] & 63;
    }
    return (w[s + j + 4] & 0xF) | (((w[s + j - 4] & 0xFF) >> 6) << 4);
  }

  private static int minK4(byte[] w, int s, int j) {
    if (j < 4) {
      return w[s + j + 4] & 63;
    }
    return ((w[s + j + 4] & 0xFF) >> 4) | (((w[s + j] & 0xFF) >> 6) << 4);
  }

  static void dequantizeQ4_K(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / Q4_K.BLOCK_SIZE;
    int y = dstOffset;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q4_K.TYPE_SIZE;
      float d = half(w, b);
      float dmin = half(w, b + 2);
      int sc = b + Q4_K.SCALES;
      int q = b + Q4_K.QS;
      for (int is = 0; is < 8; is += 2) {
        FloatVector d1 = FloatVector.broadcast(F, d * scaleK4(w, sc, is));
        FloatVector m1 = FloatVector.broadcast(F, -dmin * minK4(w, sc, is));
        FloatVector d2 = FloatVector.broadcast(F, d * scaleK4(w, sc, is + 1));
        FloatVector m2 = FloatVector.broadcast(F, -dmin * minK4(w, sc, is + 1));
        for (int l = 0; l < 32; l += L) {
          ByteVector v = ByteVector.fromArray(B, w, q + l);
          ((FloatVector) ((IntVector) v.lanewise(VectorOperators.AND, (byte) 0xF)
              .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                  .fma(d1, m1).intoArray(dst, y + l);
          ((FloatVector) ((IntVector) v.lanewise(VectorOperators.LSHR, 4)
              .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                  .fma(d2, m2).intoArray(dst, y + 32 + l);
        }
        q += 32;
        y += 64;
      }
    }
  }

  // Q5_K and Q6_K assemble their quants from bit fields in int lanes: the bytes are widened once,
  // the bit work runs on the widened lanes, and the finished quants become floats.

  static float dotQ5_K(byte[] w, int offset, float[] x, int xOffset, int n, float[] xsum) {
    int nb = n / Q5_K.BLOCK_SIZE;
    FloatVector acc = FloatVector.zero(F);
    float mins = 0f;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q5_K.TYPE_SIZE;
      float d = half(w, b);
      float dmin = half(w, b + 2);
      int sc = b + Q5_K.SCALES;
      int ql = b + Q5_K.QS;
      int qh = b + Q5_K.QH;
      int xi = xOffset + i * Q5_K.BLOCK_SIZE;
      int sub = i * 8;
      float m = 0f;
      for (int is = 0; is < 8; is += 2) {
        FloatVector lo = FloatVector.zero(F);
        FloatVector hi = FloatVector.zero(F);
        for (int l = 0; l < 32; l += L) {
          IntVector v = ((IntVector) ByteVector.fromArray(B, w, ql + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector h = ((IntVector) ByteVector.fromArray(B, w, qh + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector q1 = v.lanewise(VectorOperators.AND, 0xF).or(h
              .lanewise(VectorOperators.ASHR, is).lanewise(VectorOperators.AND, 1)
                  .lanewise(VectorOperators.LSHL, 4));
          IntVector q2 = v.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF)
              .or(h.lanewise(VectorOperators.ASHR, is + 1).lanewise(VectorOperators.AND, 1)
                  .lanewise(VectorOperators.LSHL, 4));
          lo = ((FloatVector) q1.convertShape(VectorOperators.I2F, F, 0))
              .fma(FloatVector.fromArray(F, x, xi + l), lo);
          hi = ((FloatVector) q2.convertShape(VectorOperators.I2F, F, 0))
              .fma(FloatVector.fromArray(F, x, xi + 32 + l), hi);
        }
        acc = lo.fma(FloatVector.broadcast(F, d * scaleK4(w, sc, is)), acc);
        acc = hi.fma(FloatVector.broadcast(F, d * scaleK4(w, sc, is + 1)), acc);
        m += minK4(w, sc, is) * xsum[sub + is] + minK4(w, sc, is + 1) * xsum[sub + is + 1];
        ql += 32;
        xi += 64;
      }
      mins += dmin * m;
    }
    return acc.reduceLanes(VectorOperators.ADD) - mins;
  }

  static void dequantizeQ5_K(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / Q5_K.BLOCK_SIZE;
    int y = dstOffset;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q5_K.TYPE_SIZE;
      float d = half(w, b);
      float dmin = half(w, b + 2);
      int sc = b + Q5_K.SCALES;
      int ql = b + Q5_K.QS;
      int qh = b + Q5_K.QH;
      for (int is = 0; is < 8; is += 2) {
        FloatVector d1 = FloatVector.broadcast(F, d * scaleK4(w, sc, is));
        FloatVector m1 = FloatVector.broadcast(F, -dmin * minK4(w, sc, is));
        FloatVector d2 = FloatVector.broadcast(F, d * scaleK4(w, sc, is + 1));
        FloatVector m2 = FloatVector.broadcast(F, -dmin * minK4(w, sc, is + 1));
        for (int l = 0; l < 32; l += L) {
          IntVector v = ((IntVector) ByteVector.fromArray(B, w, ql + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector h = ((IntVector) ByteVector.fromArray(B, w, qh + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector q1 = v.lanewise(VectorOperators.AND, 0xF).or(h
              .lanewise(VectorOperators.ASHR, is).lanewise(VectorOperators.AND, 1)
                  .lanewise(VectorOperators.LSHL, 4));
          IntVector q2 = v.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF)
              .or(h.lanewise(VectorOperators.ASHR, is + 1).lanewise(VectorOperators.AND, 1)
                  .lanewise(VectorOperators.LSHL, 4));
          ((FloatVector) q1.convertShape(VectorOperators.I2F, F, 0)).fma(d1, m1)
              .intoArray(dst, y + l);
          ((FloatVector) q2.convertShape(VectorOperators.I2F, F, 0)).fma(d2, m2)
              .intoArray(dst, y + 32 + l);
        }
        ql += 32;
        y += 64;
      }
    }
  }

  // ---------------------------------------------------------------- Q6_K

  /**
   * Weight {@code l + 32 k} of a 128-weight half (k = 0..3) takes nibble {@code k >> 1} of {@code
   * ql[l + 32 (k & 1)]} and bits {@code 2k, 2k+1} of {@code qh[l]}, minus 32, times its sub-block's
   * scale: the bit work of {@link #dot1Q6_K}, stored as floats. The unpacking is written out in
   * both rather than shared: a helper handing back four vectors is more than C2 inlines into these
   * bodies, and its vectors are then boxed (3× slower, measured; see docs/design-decisions.md).
   */
  static void dequantizeQ6_K(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / Q6_K.BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q6_K.TYPE_SIZE;
      float d = half(w, b + Q6_K.D);
      for (int h = 0; h < 2; h++) {
        int ql = b + Q6_K.QL + 64 * h;
        int qh = b + Q6_K.QH + 32 * h;
        int sc = b + Q6_K.SCALES + 8 * h;
        int y = dstOffset + i * Q6_K.BLOCK_SIZE + 128 * h;
        for (int l = 0; l < 32; l += L) {
          IntVector lo = ((IntVector) ByteVector.fromArray(B, w, ql + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector hi = ((IntVector) ByteVector.fromArray(B, w, ql + 32 + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector hb = ((IntVector) ByteVector.fromArray(B, w, qh + l)
              .convertShape(VectorOperators.B2I, I, 0));
          int s = sc + l / 16;
          IntVector q0 = lo.lanewise(VectorOperators.AND, 0xF)
              .or(hb.lanewise(VectorOperators.AND, 3).lanewise(VectorOperators.LSHL, 4));
          IntVector q1 = hi.lanewise(VectorOperators.AND, 0xF)
              .or(hb.lanewise(VectorOperators.AND, 0xC).lanewise(VectorOperators.LSHL, 2));
          IntVector q2 = lo.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF)
              .or(hb.lanewise(VectorOperators.AND, 0x30));
          IntVector q3 = hi.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF)
              .or(hb.lanewise(VectorOperators.ASHR, 2).lanewise(VectorOperators.AND, 0x30));
          ((FloatVector) q0.sub(32).convertShape(VectorOperators.I2F, F, 0)).mul(d * w[s])
              .intoArray(dst, y + l);
          ((FloatVector) q1.sub(32).convertShape(VectorOperators.I2F, F, 0)).mul(d * w[s + 2])
              .intoArray(dst, y + 32 + l);
          ((FloatVector) q2.sub(32).convertShape(VectorOperators.I2F, F, 0)).mul(d * w[s + 4])
              .intoArray(dst, y + 64 + l);
          ((FloatVector) q3.sub(32).convertShape(VectorOperators.I2F, F, 0)).mul(d * w[s + 6])
              .intoArray(dst, y + 96 + l);
        }
      }
    }
  }

  /**
   * {@code scales[(k * nb + i) * 16 + j]} = {@code d * scale_j} of super-block i of row k, L
   * scales per vector of the kernels' own shape, and {@code corr[k]} = {@code 32 * sum d scale_j
   * xsum16_j}: the quants are used as 0..63 and the offset of 32 is taken out once per row. (A
   * scalar decode, one conversion and two products per scale, cost as much as the kernel.)
   */
  static void scalesQ6_K(byte[] w, int rowBytes, int rows, int nb, float[] xsum16, float[] scales,
      float[] corr) {
    for (int k = 0; k < rows; k++) {
      FloatVector c = FloatVector.zero(F);
      for (int i = 0; i < nb; i++) {
        int b = k * rowBytes + i * Q6_K.TYPE_SIZE;
        FloatVector d = FloatVector.broadcast(F, half(w, b + Q6_K.D));
        int at = (k * nb + i) * 16;
        for (int j = 0; j < 16; j += L) {
          FloatVector sc = ((FloatVector) ((IntVector) ByteVector.fromArray(B, w, b + Q6_K.SCALES + j).convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(d);
          sc.intoArray(scales, at + j);
          c = sc.fma(FloatVector.fromArray(F, xsum16, i * 16 + j), c);
        }
      }
      corr[k] = 32 * c.reduceLanes(VectorOperators.ADD);
    }
  }

  /**
   * One Q6_K row, scales decoded ahead by {@link #scalesQ6_K} (at {@code scales[sb ..]}), quants
   * used as 0..63 (the caller subtracts the offset's share). Weight {@code l + 32 k} of a half
   * takes nibble {@code k >> 1} of {@code ql[l + 32 (k & 1)]} and bits {@code 2k, 2k+1} of {@code
   * qh[l]}: each slice of L {@code ql}, {@code ql + 32} and {@code qh} bytes is loaded once and
   * yields four vectors of quants, each inside one sub-block of 16, so each is scaled once and
   * multiplied with x into its own accumulator. One row per pass: four rows' worth of this body
   * exceed what C2 inlines ({@code NodeCountInliningCutoff}), and boxed vectors run 3× slower;
   * loads of x from L1 are cheap next to the bit work. The unpacking repeats
   * {@link #dequantizeQ6_K}'s on purpose (see there).
   */
  static float dot1Q6_K(byte[] w, int offset, float[] x, int xOffset, int nb, float[] scales,
      int sb) {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      for (int h = 0; h < 2; h++) {
        int ql = offset + i * Q6_K.TYPE_SIZE + Q6_K.QL + 64 * h;
        int qh = offset + i * Q6_K.TYPE_SIZE + Q6_K.QH + 32 * h;
        int xi = xOffset + i * Q6_K.BLOCK_SIZE + 128 * h;
        int si = sb + i * 16 + 8 * h;
        for (int l = 0; l < 32; l += L) {
          IntVector lo = ((IntVector) ByteVector.fromArray(B, w, ql + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector hi = ((IntVector) ByteVector.fromArray(B, w, ql + 32 + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector hb = ((IntVector) ByteVector.fromArray(B, w, qh + l)
              .convertShape(VectorOperators.B2I, I, 0));
          int sc = si + l / 16;
          IntVector q0 = lo.lanewise(VectorOperators.AND, 0xF)
              .or(hb.lanewise(VectorOperators.AND, 3).lanewise(VectorOperators.LSHL, 4));
          IntVector q1 = hi.lanewise(VectorOperators.AND, 0xF)
              .or(hb.lanewise(VectorOperators.AND, 0xC).lanewise(VectorOperators.LSHL, 2));
          IntVector q2 = lo.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF)
              .or(hb.lanewise(VectorOperators.AND, 0x30));
          IntVector q3 = hi.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF)
              .or(hb.lanewise(VectorOperators.ASHR, 2).lanewise(VectorOperators.AND, 0x30));
          a0 = ((FloatVector) q0.convertShape(VectorOperators.I2F, F, 0)).mul(scales[sc])
              .fma(FloatVector.fromArray(F, x, xi + l), a0);
          a1 = ((FloatVector) q1.convertShape(VectorOperators.I2F, F, 0)).mul(scales[sc + 2])
              .fma(FloatVector.fromArray(F, x, xi + 32 + l), a1);
          a2 = ((FloatVector) q2.convertShape(VectorOperators.I2F, F, 0)).mul(scales[sc + 4])
              .fma(FloatVector.fromArray(F, x, xi + 64 + l), a2);
          a3 = ((FloatVector) q3.convertShape(VectorOperators.I2F, F, 0)).mul(scales[sc + 6])
              .fma(FloatVector.fromArray(F, x, xi + 96 + l), a3);
        }
      }
    }
    return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
  }

  // ---------------------------------------------------------------- four rows at a time
  //
  // Decode reads each weight once, so it is bound by memory and by the work per weight. Taking
  // four rows per pass loads each slice of x once for four rows, and gives the core four
  // independent accumulator chains.

  /** {@code out[o + k] = row_k . x} for the four Q8_0 rows at {@code offset + k * rowBytes}. */
  static void dot4Q8_0(byte[] w, int offset, int rowBytes, float[] x, int xOffset, int n,
      float[] out, int o) {
    int nb = n / Q8_0.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q8_0.TYPE_SIZE;
      int xb = xOffset + i * Q8_0.BLOCK_SIZE;
      FloatVector s0 = FloatVector.zero(F);
      FloatVector s1 = FloatVector.zero(F);
      FloatVector s2 = FloatVector.zero(F);
      FloatVector s3 = FloatVector.zero(F);
      for (int j = 0; j < Q8_0.BLOCK_SIZE; j += L) {
        FloatVector xv = FloatVector.fromArray(F, x, xb + j);
        s0 = ((FloatVector) ((IntVector) ByteVector.fromArray(B, w, b + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                .fma(xv, s0);
        s1 = ((FloatVector) ((IntVector) ByteVector.fromArray(B, w, b + rowBytes + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                .fma(xv, s1);
        s2 = ((FloatVector) ((IntVector) ByteVector.fromArray(B, w, b + 2 * rowBytes + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                .fma(xv, s2);
        s3 = ((FloatVector) ((IntVector) ByteVector.fromArray(B, w, b + 3 * rowBytes + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                .fma(xv, s3);
      }
      a0 = s0.fma(FloatVector.broadcast(F, half(w, b)), a0);
      a1 = s1.fma(FloatVector.broadcast(F, half(w, b + rowBytes)), a1);
      a2 = s2.fma(FloatVector.broadcast(F, half(w, b + 2 * rowBytes)), a2);
      a3 = s3.fma(FloatVector.broadcast(F, half(w, b + 3 * rowBytes)), a3);
    }
    out[o] = a0.reduceLanes(VectorOperators.ADD);
    out[o + 1] = a1.reduceLanes(VectorOperators.ADD);
    out[o + 2] = a2.reduceLanes(VectorOperators.ADD);
    out[o + 3] = a3.reduceLanes(VectorOperators.ADD);
  }

  /**
   * Four Q4_0 rows. The quants are used as 0..15 and the offset of 8 is taken out once per row
   * through the block sums of x ({@code d * sum((q - 8) x) = d * sum(q x) - 8 d * xsum}); a high
   * nibble is used in place, as {@code 16 q} against x / 16, which saves a shift.
   */
  static void dot4Q4_0(byte[] w, int offset, int rowBytes, float[] x, int xOffset, float[] x16,
      float[] xsum, int n, float[] out, int o) {
    int nb = n / Q4_0.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    float c0 = 0f;
    float c1 = 0f;
    float c2 = 0f;
    float c3 = 0f;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q4_0.TYPE_SIZE;
      FloatVector s0 = FloatVector.zero(F);
      FloatVector s1 = FloatVector.zero(F);
      FloatVector s2 = FloatVector.zero(F);
      FloatVector s3 = FloatVector.zero(F);
      for (int j = 0; j < 16; j += L) {
        FloatVector xl = FloatVector.fromArray(F, x, xOffset + i * Q4_0.BLOCK_SIZE + j);
        FloatVector xh = FloatVector.fromArray(F, x16, i * Q4_0.BLOCK_SIZE + 16 + j);
        IntVector q0 = ((IntVector) ByteVector.fromArray(B, w, b + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0));
        IntVector q1 = ((IntVector) ByteVector.fromArray(B, w, b + rowBytes + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0));
        IntVector q2 = ((IntVector) ByteVector.fromArray(B, w, b + 2 * rowBytes + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0));
        IntVector q3 = ((IntVector) ByteVector.fromArray(B, w, b + 3 * rowBytes + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0));
        s0 = ((FloatVector) q0.lanewise(VectorOperators.AND, 0xF0)
            .convertShape(VectorOperators.I2F, F, 0)).fma(xh, ((FloatVector) q0
                .lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
                    .fma(xl, s0));
        s1 = ((FloatVector) q1.lanewise(VectorOperators.AND, 0xF0)
            .convertShape(VectorOperators.I2F, F, 0)).fma(xh, ((FloatVector) q1
                .lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
                    .fma(xl, s1));
        s2 = ((FloatVector) q2.lanewise(VectorOperators.AND, 0xF0)
            .convertShape(VectorOperators.I2F, F, 0)).fma(xh, ((FloatVector) q2
                .lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
                    .fma(xl, s2));
        s3 = ((FloatVector) q3.lanewise(VectorOperators.AND, 0xF0)
            .convertShape(VectorOperators.I2F, F, 0)).fma(xh, ((FloatVector) q3
                .lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
                    .fma(xl, s3));
      }
      float xs = xsum[i];
      float d0 = halfOfBytes(w, b);
      float d1 = halfOfBytes(w, b + rowBytes);
      float d2 = halfOfBytes(w, b + 2 * rowBytes);
      float d3 = halfOfBytes(w, b + 3 * rowBytes);
      a0 = s0.fma(FloatVector.broadcast(F, d0), a0);
      a1 = s1.fma(FloatVector.broadcast(F, d1), a1);
      a2 = s2.fma(FloatVector.broadcast(F, d2), a2);
      a3 = s3.fma(FloatVector.broadcast(F, d3), a3);
      c0 += d0 * xs;
      c1 += d1 * xs;
      c2 += d2 * xs;
      c3 += d3 * xs;
    }
    out[o] = a0.reduceLanes(VectorOperators.ADD) - 8 * c0;
    out[o + 1] = a1.reduceLanes(VectorOperators.ADD) - 8 * c1;
    out[o + 2] = a2.reduceLanes(VectorOperators.ADD) - 8 * c2;
    out[o + 3] = a3.reduceLanes(VectorOperators.ADD) - 8 * c3;
  }

  /** One Q4_0 row, with the very operations {@link #dot4Q4_0} applies to each of its rows. */
  static float dot1Q4_0(byte[] w, int offset, float[] x, int xOffset, float[] x16, float[] xsum,
      int n) {
    int nb = n / Q4_0.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    float c0 = 0f;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q4_0.TYPE_SIZE;
      FloatVector s0 = FloatVector.zero(F);
      for (int j = 0; j < 16; j += L) {
        FloatVector xl = FloatVector.fromArray(F, x, xOffset + i * Q4_0.BLOCK_SIZE + j);
        FloatVector xh = FloatVector.fromArray(F, x16, i * Q4_0.BLOCK_SIZE + 16 + j);
        IntVector q0 = ((IntVector) ByteVector.fromArray(B, w, b + 2 + j)
            .convertShape(VectorOperators.B2I, I, 0));
        s0 = ((FloatVector) q0.lanewise(VectorOperators.AND, 0xF0)
            .convertShape(VectorOperators.I2F, F, 0)).fma(xh, ((FloatVector) q0
                .lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
                    .fma(xl, s0));
      }
      float d0 = halfOfBytes(w, b);
      a0 = s0.fma(FloatVector.broadcast(F, d0), a0);
      c0 += d0 * xsum[i];
    }
    return a0.reduceLanes(VectorOperators.ADD) - 8 * c0;
  }

  /**
   * First half of the Q4_K scale decode, scalar and all integer: for super-block {@code t = k *
   * nb + i} (row k, block i) the twelve packed bytes become sixteen 6-bit values at {@code
   * packed[16 t ..]}: scales 0..3, mins 0..3, scales 4..7, mins 4..7, eight at a time in a long
   * (ggml's SIMD code does four in an int); {@code dd[2 t]} and {@code dd[2 t + 1]} receive d and
   * dmin.
   */
  static void unpackScalesK4(byte[] w, int rowBytes, int rows, int nb, int typeSize, byte[] packed,
      float[] dd) {
    for (int k = 0; k < rows; k++) {
      for (int i = 0; i < nb; i++) {
        int b = k * rowBytes + i * typeSize;
        int t = k * nb + i;
        long lo = (long) LONG_LE.get(w, b + 4);
        int u2 = (int) INT_LE.get(w, b + 12);
        long hi = (u2 & 0xFFFFFFFFL) | ((long) (u2 >>> 4) << 32);
        LONG_LE.set(packed, 16 * t, lo & 0x3F3F3F3F3F3F3F3FL);
        LONG_LE.set(packed, 16 * t + 8, (hi & 0x0F0F0F0F0F0F0F0FL) | ((lo >>> 2) & 0x3030303030303030L));
        dd[2 * t] = half(w, b);
        dd[2 * t + 1] = half(w, b + 2);
      }
    }
  }

  /** Lanes {@code j + lane} in 4..7 or 12..15 of the sixteen values of a super-block: its mins. */
  static final VectorMask<Float> MINS_AT_0 = minsMask(0);
  /** The mins' lanes of the vectors at {@code j = 0, L, 2L ...} of the sixteen values, by {@code j / L}. */
  private static final VectorMask<Float>[] MINS = minsMasks();

  @SuppressWarnings("unchecked")
  private static VectorMask<Float>[] minsMasks() {
    VectorMask<Float>[] masks = new VectorMask[Math.max(1, 16 / L)];
    for (int i = 0; i < masks.length; i++) {
      masks[i] = minsMask(i * L);
    }
    return masks;
  }

  private static VectorMask<Float> minsMask(int j) {
    boolean[] bits = new boolean[L];
    for (int lane = 0; lane < L; lane++) {
      bits[lane] = ((j + lane) & 4) != 0;
    }
    return VectorMask.fromArray(F, bits, 0);
  }

  /** Where scale {@code s} (0..7) of a super-block sits among its sixteen unpacked values. */
  private static int scaleLane(int s) {
    return s < 4 ? s : s + 4;
  }

  /**
   * Second half, with the kernels' own vector shape (L bytes to L floats): {@code scales[16 t +
   * scaleLane(s)]} = {@code d * scale_s} and the mins' lanes hold {@code dmin * min_s}, of
   * super-block t; and {@code corr[k]} = the sum over row k of {@code dmin * min_s * xsum_s}
   * (the mins' share, subtracted once per row; {@code xw} holds the block sums of x at the mins'
   * lanes and zeros at the scales'). A third of the time of the scalar decode this replaced.
   */
  static void scalesK4(byte[] packed, float[] dd, int rows, int nb, float[] xw, int xwOffset, float[] scales,
      float[] corr, int corrOffset) {
    for (int k = 0; k < rows; k++) {
      FloatVector m = FloatVector.zero(F);
      for (int i = 0; i < nb; i++) {
        int t = k * nb + i;
        FloatVector d = FloatVector.broadcast(F, dd[2 * t]);
        FloatVector dmin = FloatVector.broadcast(F, dd[2 * t + 1]);
        for (int j = 0; j < 16; j += L) {
          FloatVector v = ((FloatVector) ((IntVector) ByteVector.fromArray(B, packed, 16 * t + j)
              .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
              .mul(d.blend(dmin, MINS[j / L]));
          v.intoArray(scales, 16 * t + j);
          m = v.fma(FloatVector.fromArray(F, xw, xwOffset + 16 * i + j), m);
        }
      }
      corr[corrOffset + k] = m.reduceLanes(VectorOperators.ADD);
    }
  }

  /**
   * The mins' share of {@link #scalesK4} (and {@link #scalesK4Direct}) for another token's block
   * sums, from the scales they stored: {@code corr[corrOffset + k]} with the very operations they
   * apply, so a token sharing a pass gets the correction it would get alone.
   */
  static void correctionsK4(float[] scales, int rows, int nb, float[] xw, int xwOffset, float[] corr,
      int corrOffset) {
    for (int k = 0; k < rows; k++) {
      FloatVector m = FloatVector.zero(F);
      for (int i = 0; i < nb; i++) {
        int t = k * nb + i;
        for (int j = 0; j < 16; j += L) {
          m = FloatVector.fromArray(F, scales, 16 * t + j)
              .fma(FloatVector.fromArray(F, xw, xwOffset + 16 * i + j), m);
        }
      }
      corr[corrOffset + k] = m.reduceLanes(VectorOperators.ADD);
    }
  }

  /** With 16 lanes: bytes 8..11 of the packed scales also at lanes 12..15. */
  static final VectorShuffle<Integer> K4_LOW = L == 16
      ? VectorShuffle.fromValues(I, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 8, 9, 10, 11) : null;
  /** With 16 lanes: bytes 0..7 (whose top bits complete scales and mins 4..7) at lanes 8..15. */
  static final VectorShuffle<Integer> K4_HIGH = L == 16
      ? VectorShuffle.fromValues(I, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7) : null;
  static final IntVector K4_SHIFT = L == 16
      ? IntVector.fromArray(I, new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4}, 0) : null;
  static final IntVector K4_MASK = L == 16
      ? IntVector.fromArray(I, new int[] {63, 63, 63, 63, 63, 63, 63, 63, 15, 15, 15, 15, 15, 15, 15, 15}, 0) : null;
  static final IntVector K4_TOP = L == 16
      ? IntVector.fromArray(I, new int[] {0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3}, 0) : null;

  /**
   * {@link #unpackScalesK4} and {@link #scalesK4} in one pass, for 16 lanes: a super-block's
   * twelve scale bytes, widened to one vector, are rearranged so that each lane meets the bits
   * of its scale or min (same lane order: scales 0..3, mins 0..3, scales 4..7, mins 4..7).
   */
  static void scalesK4Direct(byte[] w, int rowBytes, int rows, int nb, float[] xw, int xwOffset, float[] scales,
      float[] corr, int corrOffset) {
    for (int k = 0; k < rows; k++) {
      FloatVector m = FloatVector.zero(F);
      for (int i = 0; i < nb; i++) {
        int b = k * rowBytes + i * Q4_K.TYPE_SIZE;
        int t = k * nb + i;
        IntVector v = ((IntVector) ByteVector.fromArray(B, w, b + Q4_K.SCALES)
            .convertShape(VectorOperators.B2I, I, 0));
        IntVector low = v.rearrange(K4_LOW).lanewise(VectorOperators.LSHR, K4_SHIFT)
            .lanewise(VectorOperators.AND, K4_MASK);
        IntVector top = v.rearrange(K4_HIGH).lanewise(VectorOperators.LSHR, 6)
            .lanewise(VectorOperators.AND, K4_TOP).lanewise(VectorOperators.LSHL, 4);
        FloatVector d = FloatVector.broadcast(F, half(w, b));
        FloatVector dmin = FloatVector.broadcast(F, half(w, b + 2));
        FloatVector sv = ((FloatVector) low.or(top).convertShape(VectorOperators.I2F, F, 0))
            .mul(d.blend(dmin, MINS_AT_0));
        sv.intoArray(scales, 16 * t);
        m = sv.fma(FloatVector.fromArray(F, xw, xwOffset + 16 * i), m);
      }
      corr[corrOffset + k] = m.reduceLanes(VectorOperators.ADD);
    }
  }

  /** One Q4_K row, with the very operations {@link #dot4Q4_K} applies to each of its rows. */
  static float dot1Q4_K(byte[] w, int offset, float[] x, int xOffset, float[] x16, int n,
      float[] scales, int sb) {
    int nb = n / Q4_K.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int q = offset + i * Q4_K.TYPE_SIZE + Q4_K.QS;
      for (int is = 0; is < 8; is += 2) {
        int xi = i * Q4_K.BLOCK_SIZE + is * 32;
        FloatVector l0 = FloatVector.zero(F);
        FloatVector h0 = FloatVector.zero(F);
        for (int l = 0; l < 32; l += L) {
          FloatVector xl = FloatVector.fromArray(F, x, xOffset + xi + l);
          FloatVector xh = FloatVector.fromArray(F, x16, xi + 32 + l);
          IntVector q0 = ((IntVector) ByteVector.fromArray(B, w, q + l)
              .convertShape(VectorOperators.B2I, I, 0));
          l0 = ((FloatVector) q0.lanewise(VectorOperators.AND, 0xF)
              .convertShape(VectorOperators.I2F, F, 0)).fma(xl, l0);
          h0 = ((FloatVector) q0.lanewise(VectorOperators.AND, 0xF0)
              .convertShape(VectorOperators.I2F, F, 0)).fma(xh, h0);
        }
        int sc = sb + i * 16 + scaleLane(is);
        a0 = h0.fma(FloatVector.broadcast(F, scales[sc + 1]), l0
            .fma(FloatVector.broadcast(F, scales[sc]), a0));
        q += 32;
      }
    }
    return a0.reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@code tokens} Q4_K products at once, for decode steps that share a pass:
   * {@code out[outOffset + t * outStride + r] = row_r . x_t} for rows {@code [r0, r1)}, with
   * {@code x_t} at {@code x[xOffset + t * cols ..]}, {@code tokens} a multiple of four. Each row's
   * scales are decoded once and its quants converted once for four tokens; each token's result
   * takes exactly the operations {@link #matvec} applies to it (its mins' share as there, its dot
   * product as {@link #dot1Q4_K}'s), so a request's logits do not depend on the company it decodes in.
   */
  static void matvecTokensQ4_K(ByteBuffer w, int rowBytes, int cols, float[] x, int xOffset, int tokens,
      float[] out, int outOffset, int outStride, int r0, int r1, Scratch s) {
    if (tokens % 4 != 0) {
      throw new IllegalArgumentException("the four-token kernel takes a multiple of four tokens, got " + tokens);
    }
    int nb = cols / Q4_K.BLOCK_SIZE;
    int n32 = cols / 32;
    float[] xsum = s.xsum(tokens * n32);
    float[] xw = s.xsumWide(tokens * 2 * n32);
    float[] x16 = s.xDiv16(tokens * cols);
    for (int t = 0; t < tokens; t++) {
      blockSums(x, xOffset + t * cols, cols, xsum, t * n32);
      widenSums(xsum, t * n32, n32, xw, t * 2 * n32);
      div16(x, xOffset + t * cols, cols, x16, t * cols);
    }
    int per = rowsPerChunk(rowBytes);
    byte[] buf = s.bytes(per * rowBytes);
    byte[] packed = s.packed(per * nb * 16);
    float[] dd = s.superScales(per * nb * 2);
    float[] scales = s.scales(per * nb * 16);
    float[] corr = s.corrections(tokens * per);
    for (int r = r0; r < r1; r += per) {
      int nr = Math.min(per, r1 - r);
      w.get(r * rowBytes, buf, 0, nr * rowBytes);
      if (L == 16) {
        scalesK4Direct(buf, rowBytes, nr, nb, xw, 0, scales, corr, 0);
      } else {
        unpackScalesK4(buf, rowBytes, nr, nb, Q4_K.TYPE_SIZE, packed, dd);
        scalesK4(packed, dd, nr, nb, xw, 0, scales, corr, 0);
      }
      for (int t = 1; t < tokens; t++) {
        correctionsK4(scales, nr, nb, xw, t * 2 * n32, corr, t * per);
      }
      for (int k = 0; k < nr; k++) {
        for (int t = 0; t < tokens; t += 4) {
          int o = outOffset + r + k;
          dot4TokensQ4_K(buf, k * rowBytes, x, xOffset + t * cols, xOffset + (t + 1) * cols,
              xOffset + (t + 2) * cols, xOffset + (t + 3) * cols, x16, t * cols, (t + 1) * cols, (t + 2) * cols,
              (t + 3) * cols, cols, scales, k * nb * 16, out, o + t * outStride, o + (t + 1) * outStride,
              o + (t + 2) * outStride, o + (t + 3) * outStride);
        }
        for (int t = 0; t < tokens; t++) {
          out[outOffset + t * outStride + r + k] -= corr[t * per + k];
        }
      }
    }
  }

  /** {@link #dot1Q4_K} of one row with four tokens' vectors: each quant converted once, each sum as there. */
  static void dot4TokensQ4_K(byte[] w, int offset, float[] x, int x0, int x1, int x2, int x3, float[] x16, int y0,
      int y1, int y2, int y3, int n, float[] scales, int sb, float[] out, int o0, int o1, int o2, int o3) {
    int nb = n / Q4_K.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int q = offset + i * Q4_K.TYPE_SIZE + Q4_K.QS;
      for (int is = 0; is < 8; is += 2) {
        int xi = i * Q4_K.BLOCK_SIZE + is * 32;
        FloatVector l0 = FloatVector.zero(F);
        FloatVector l1 = FloatVector.zero(F);
        FloatVector l2 = FloatVector.zero(F);
        FloatVector l3 = FloatVector.zero(F);
        FloatVector h0 = FloatVector.zero(F);
        FloatVector h1 = FloatVector.zero(F);
        FloatVector h2 = FloatVector.zero(F);
        FloatVector h3 = FloatVector.zero(F);
        for (int l = 0; l < 32; l += L) {
          IntVector qv = ((IntVector) ByteVector.fromArray(B, w, q + l).convertShape(VectorOperators.B2I, I, 0));
          FloatVector ql = (FloatVector) qv.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
          FloatVector qh = (FloatVector) qv.lanewise(VectorOperators.AND, 0xF0).convertShape(VectorOperators.I2F, F, 0);
          l0 = ql.fma(FloatVector.fromArray(F, x, x0 + xi + l), l0);
          h0 = qh.fma(FloatVector.fromArray(F, x16, y0 + xi + 32 + l), h0);
          l1 = ql.fma(FloatVector.fromArray(F, x, x1 + xi + l), l1);
          h1 = qh.fma(FloatVector.fromArray(F, x16, y1 + xi + 32 + l), h1);
          l2 = ql.fma(FloatVector.fromArray(F, x, x2 + xi + l), l2);
          h2 = qh.fma(FloatVector.fromArray(F, x16, y2 + xi + 32 + l), h2);
          l3 = ql.fma(FloatVector.fromArray(F, x, x3 + xi + l), l3);
          h3 = qh.fma(FloatVector.fromArray(F, x16, y3 + xi + 32 + l), h3);
        }
        int sc = sb + i * 16 + scaleLane(is);
        FloatVector sl = FloatVector.broadcast(F, scales[sc]);
        FloatVector sh = FloatVector.broadcast(F, scales[sc + 1]);
        a0 = h0.fma(sh, l0.fma(sl, a0));
        a1 = h1.fma(sh, l1.fma(sl, a1));
        a2 = h2.fma(sh, l2.fma(sl, a2));
        a3 = h3.fma(sh, l3.fma(sl, a3));
        q += 32;
      }
    }
    out[o0] = a0.reduceLanes(VectorOperators.ADD);
    out[o1] = a1.reduceLanes(VectorOperators.ADD);
    out[o2] = a2.reduceLanes(VectorOperators.ADD);
    out[o3] = a3.reduceLanes(VectorOperators.ADD);
  }

  /** Four Q4_K rows (scales from {@link #scalesK4}); high nibbles used in place against x / 16. */
  static void dot4Q4_K(byte[] w, int offset, int rowBytes, float[] x, int xOffset, float[] x16,
      int n, float[] scales, int sb, float[] out, int o) {
    int nb = n / Q4_K.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int q = offset + i * Q4_K.TYPE_SIZE + Q4_K.QS;
      for (int is = 0; is < 8; is += 2) {
        int xi = i * Q4_K.BLOCK_SIZE + is * 32;
        FloatVector l0 = FloatVector.zero(F);
        FloatVector l1 = FloatVector.zero(F);
        FloatVector l2 = FloatVector.zero(F);
        FloatVector l3 = FloatVector.zero(F);
        FloatVector h0 = FloatVector.zero(F);
        FloatVector h1 = FloatVector.zero(F);
        FloatVector h2 = FloatVector.zero(F);
        FloatVector h3 = FloatVector.zero(F);
        for (int l = 0; l < 32; l += L) {
          FloatVector xl = FloatVector.fromArray(F, x, xOffset + xi + l);
          FloatVector xh = FloatVector.fromArray(F, x16, xi + 32 + l);
          IntVector q0 = ((IntVector) ByteVector.fromArray(B, w, q + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector q1 = ((IntVector) ByteVector.fromArray(B, w, q + rowBytes + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector q2 = ((IntVector) ByteVector.fromArray(B, w, q + 2 * rowBytes + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector q3 = ((IntVector) ByteVector.fromArray(B, w, q + 3 * rowBytes + l)
              .convertShape(VectorOperators.B2I, I, 0));
          l0 = ((FloatVector) q0.lanewise(VectorOperators.AND, 0xF)
              .convertShape(VectorOperators.I2F, F, 0)).fma(xl, l0);
          h0 = ((FloatVector) q0.lanewise(VectorOperators.AND, 0xF0)
              .convertShape(VectorOperators.I2F, F, 0)).fma(xh, h0);
          l1 = ((FloatVector) q1.lanewise(VectorOperators.AND, 0xF)
              .convertShape(VectorOperators.I2F, F, 0)).fma(xl, l1);
          h1 = ((FloatVector) q1.lanewise(VectorOperators.AND, 0xF0)
              .convertShape(VectorOperators.I2F, F, 0)).fma(xh, h1);
          l2 = ((FloatVector) q2.lanewise(VectorOperators.AND, 0xF)
              .convertShape(VectorOperators.I2F, F, 0)).fma(xl, l2);
          h2 = ((FloatVector) q2.lanewise(VectorOperators.AND, 0xF0)
              .convertShape(VectorOperators.I2F, F, 0)).fma(xh, h2);
          l3 = ((FloatVector) q3.lanewise(VectorOperators.AND, 0xF)
              .convertShape(VectorOperators.I2F, F, 0)).fma(xl, l3);
          h3 = ((FloatVector) q3.lanewise(VectorOperators.AND, 0xF0)
              .convertShape(VectorOperators.I2F, F, 0)).fma(xh, h3);
        }
        int sc = sb + i * 16 + scaleLane(is);
        int st = nb * 16;
        a0 = h0.fma(FloatVector.broadcast(F, scales[sc + 1]), l0
            .fma(FloatVector.broadcast(F, scales[sc]), a0));
        a1 = h1.fma(FloatVector.broadcast(F, scales[st + sc + 1]), l1
            .fma(FloatVector.broadcast(F, scales[st + sc]), a1));
        a2 = h2.fma(FloatVector.broadcast(F, scales[2 * st + sc + 1]), l2
            .fma(FloatVector.broadcast(F, scales[2 * st + sc]), a2));
        a3 = h3.fma(FloatVector.broadcast(F, scales[3 * st + sc + 1]), l3
            .fma(FloatVector.broadcast(F, scales[3 * st + sc]), a3));
        q += 32;
      }
    }
    out[o] = a0.reduceLanes(VectorOperators.ADD);
    out[o + 1] = a1.reduceLanes(VectorOperators.ADD);
    out[o + 2] = a2.reduceLanes(VectorOperators.ADD);
    out[o + 3] = a3.reduceLanes(VectorOperators.ADD);
  }
}
