package dev.banter.local.tensor;

import static dev.banter.local.tensor.VectorKernels.B;
import static dev.banter.local.tensor.VectorKernels.F;
import static dev.banter.local.tensor.VectorKernels.I;
import static dev.banter.local.tensor.VectorKernels.L;

import dev.banter.api.JvmOnly;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API kernels for the remaining blocks of 32 weights: {@code Q4_1}, {@code Q5_0}, {@code
 * Q5_1}, {@code IQ4_NL} and {@code MXFP4}, reached from {@link VectorKernels#dot} (decode, one row
 * at a time from the copied chunk) and {@link VectorKernels#dequantize} (prefill). They compute
 * what the scalar format classes compute, {@code L} lanes at a time with float32 activations.
 *
 * <p>Every kernel takes a block as two halves of 16 quant bytes: {@code L} bytes are loaded,
 * widened to {@code L} ints, the low nibbles (weights {@code j}) and the high nibbles (weights
 * {@code j + 16}) are split with a mask and a shift, converted to floats and multiplied with x into
 * a per-block sum, which the block's scale then folds into the row's accumulator; at 4 lanes a half
 * takes four passes, at 8 lanes two, at 16 lanes one. Q5_0 and Q5_1 take bit 4 of weight {@code k} from bit {@code
 * k} of {@code qh}: the 32-bit word is broadcast and shifted right by each lane's weight index
 * ({@link #WEIGHT_INDEX}). Q4_1 and Q5_1 add {@code m * sum(x)} per block, from a second
 * accumulator of x. IQ4_NL and MXFP4 look their 16 levels up with a byte rearrange (a {@code
 * pshufb}) on JDK 22 and later ({@link #SHUFFLE_TABLES}): at 16 lanes the table is one vector
 * indexed by the nibbles; at 8 lanes (and at 4, whose byte vectors also hold 8) it is two vectors
 * of 8 levels and the nibbles are taken as signed (shift left 4, arithmetic shift right 4), so
 * that nibbles 8..15 become the indices -8..-1 which the two-vector rearrange serves from the
 * upper half. On older JDKs they expand the levels
 * in scalar code ({@link #expand}) and run as Q8_0 does. Dequantization uses the same operations and rounds exactly as
 * the scalar code ({@code q * d + m}, not a fused multiply-add), so prefill sees the very weights
 * decode does.
 *
 * <p>As in {@link VectorKernels}, no vector passes through a helper method: each loop is written
 * out, so that C2 inlines all of its Vector API calls. IQ4_NL and MXFP4 share their loops (the
 * table, the quants' offset and the scale are chosen per type before the loop).
 */
@JvmOnly
final class VectorBlocks32 {
  /** {@code 0, 1, ..., 31}: lane {@code l} of a slice starting at weight {@code j} reads bit {@code j + l}. */
  private static final int[] WEIGHT_INDEX = new int[32];

  static {
    for (int k = 0; k < 32; k++) {
      WEIGHT_INDEX[k] = k;
    }
  }


  /**
   * Whether IQ4_NL and MXFP4 look their levels up with a vector byte rearrange (JDK 22 and later,
   * where it compiles to {@code pshufb}/{@code tbl}: 1.0 GB/s here) or expand them in scalar code
   * first (JDK 17–21, where the rearrange runs 2.5× slower than plain Java: 0.4 GB/s instead of
   * 0.2). Measured with MatvecBench on an AVX2 EPYC.
   */
  private static final boolean SHUFFLE_TABLES = Runtime.version().feature() >= 22;
  /** Whether one byte vector holds a whole 16-level table (16 lanes); else two halves of 8. */
  private static final boolean ONE_TABLE = B.length() >= 16;
  private static final ByteVector IQ4_NL_LOW = table(IQ4_NL.VALUES, 0);
  private static final ByteVector IQ4_NL_HIGH = table(IQ4_NL.VALUES, 8);
  private static final ByteVector MXFP4_LOW = table(MXFP4.VALUES, 0);
  private static final ByteVector MXFP4_HIGH = table(MXFP4.VALUES, 8);

  private VectorBlocks32() {}

  /** Entries {@code from ..} of a 16-level table in a byte vector of {@code B} (zeros past 16). */
  private static ByteVector table(byte[] values, int from) {
    byte[] lanes = new byte[B.length()];
    for (int l = 0; l < lanes.length && from + l < 16; l++) {
      lanes[l] = values[from + l];
    }
    return ByteVector.fromArray(B, lanes, 0);
  }

  /** The dot product of {@code n} weights (a multiple of 32) at {@code w[offset ..]} with x. */

  static float dot(GgmlType type, byte[] w, int offset, float[] x, int xOffset, int n) {
    return dot(type, w, offset, x, xOffset, n, new BlockBuffers());
  }

  /** {@link #dot(GgmlType, byte[], int, float[], int, int)} with the thread's block buffers. */
  static float dot(GgmlType type, byte[] w, int offset, float[] x, int xOffset, int n, BlockBuffers b) {
    return switch (type) {
      case Q4_1 -> dotQ4_1(w, offset, x, xOffset, n);
      case Q5_0 -> dotQ5_0(w, offset, x, xOffset, n);
      case Q5_1 -> dotQ5_1(w, offset, x, xOffset, n);
      case IQ4_NL, MXFP4 -> SHUFFLE_TABLES ? dotTableShuffled(type, w, offset, x, xOffset, n)
          : dotTableExpanded(type, w, offset, x, xOffset, n, b.levels);
      default -> throw new IllegalStateException("no kernel for " + type);
    };
  }

  /** Expands {@code n} weights (a multiple of 32) at {@code w[offset ..]} to {@code dst}. */
  static void dequantize(GgmlType type, byte[] w, int offset, float[] dst, int dstOffset, int n) {
    dequantize(type, w, offset, dst, dstOffset, n, new BlockBuffers());
  }

  /** {@link #dequantize(GgmlType, byte[], int, float[], int, int)} with the thread's block buffers. */
  static void dequantize(GgmlType type, byte[] w, int offset, float[] dst, int dstOffset, int n, BlockBuffers b) {
    switch (type) {
      case Q4_1 -> dequantizeQ4_1(w, offset, dst, dstOffset, n);
      case Q5_0 -> dequantizeQ5_0(w, offset, dst, dstOffset, n);
      case Q5_1 -> dequantizeQ5_1(w, offset, dst, dstOffset, n);
      case IQ4_NL, MXFP4 -> {
        if (SHUFFLE_TABLES) {
          dequantizeTableShuffled(type, w, offset, dst, dstOffset, n);
        } else {
          dequantizeTableExpanded(type, w, offset, dst, dstOffset, n, b.levels);
        }
      }
      default -> throw new IllegalStateException("no kernel for " + type);
    }
  }

  // ---------------------------------------------------------------- scalar helpers

  // ---------------------------------------------------------------- Q4_1

  static float dotQ4_1(byte[] w, int offset, float[] x, int xOffset, int n) {
    int nb = n / Q4_1.BLOCK_SIZE;
    FloatVector acc = FloatVector.zero(F);
    FloatVector accm = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q4_1.TYPE_SIZE;
      int xb = xOffset + i * Q4_1.BLOCK_SIZE;
      FloatVector sq = FloatVector.zero(F);
      FloatVector sx = FloatVector.zero(F);
      for (int j = 0; j < 16; j += L) {
        FloatVector xl = FloatVector.fromArray(F, x, xb + j);
        FloatVector xh = FloatVector.fromArray(F, x, xb + 16 + j);
        IntVector q = (IntVector) ByteVector.fromArray(B, w, b + 4 + j)
            .convertShape(VectorOperators.B2I, I, 0);
        sq = ((FloatVector) q.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF)
            .convertShape(VectorOperators.I2F, F, 0)).fma(xh, ((FloatVector) q
                .lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
                    .fma(xl, sq));
        sx = sx.add(xl).add(xh);
      }
      acc = sq.fma(FloatVector.broadcast(F, VectorKernels.halfOfBytes(w, b)), acc);
      accm = sx.fma(FloatVector.broadcast(F, VectorKernels.halfOfBytes(w, b + 2)), accm);
    }
    return acc.reduceLanes(VectorOperators.ADD) + accm.reduceLanes(VectorOperators.ADD);
  }

  static void dequantizeQ4_1(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / Q4_1.BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q4_1.TYPE_SIZE;
      int y = dstOffset + i * Q4_1.BLOCK_SIZE;
      FloatVector d = FloatVector.broadcast(F, VectorKernels.halfOfBytes(w, b));
      FloatVector m = FloatVector.broadcast(F, VectorKernels.halfOfBytes(w, b + 2));
      for (int j = 0; j < 16; j += L) {
        IntVector q = (IntVector) ByteVector.fromArray(B, w, b + 4 + j)
            .convertShape(VectorOperators.B2I, I, 0);
        ((FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
            .mul(d).add(m).intoArray(dst, y + j);
        ((FloatVector) q.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF)
            .convertShape(VectorOperators.I2F, F, 0)).mul(d).add(m).intoArray(dst, y + 16 + j);
      }
    }
  }

  // ---------------------------------------------------------------- Q5_0, Q5_1

  static float dotQ5_0(byte[] w, int offset, float[] x, int xOffset, int n) {
    int nb = n / Q5_0.BLOCK_SIZE;
    FloatVector acc = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q5_0.TYPE_SIZE;
      int xb = xOffset + i * Q5_0.BLOCK_SIZE;
      IntVector qh = IntVector.broadcast(I, VectorKernels.littleInt(w, b + Q5_0.QH));
      FloatVector s = FloatVector.zero(F);
      for (int j = 0; j < 16; j += L) {
        IntVector q = (IntVector) ByteVector.fromArray(B, w, b + Q5_0.QS + j)
            .convertShape(VectorOperators.B2I, I, 0);
        IntVector lo = q.lanewise(VectorOperators.AND, 0xF).or(qh
            .lanewise(VectorOperators.LSHR, IntVector.fromArray(I, WEIGHT_INDEX, j))
            .lanewise(VectorOperators.AND, 1).lanewise(VectorOperators.LSHL, 4)).sub(16);
        IntVector hi = q.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF).or(qh
            .lanewise(VectorOperators.LSHR, IntVector.fromArray(I, WEIGHT_INDEX, 16 + j))
            .lanewise(VectorOperators.AND, 1).lanewise(VectorOperators.LSHL, 4)).sub(16);
        s = ((FloatVector) hi.convertShape(VectorOperators.I2F, F, 0))
            .fma(FloatVector.fromArray(F, x, xb + 16 + j), ((FloatVector) lo
                .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, x, xb + j), s));
      }
      acc = s.fma(FloatVector.broadcast(F, VectorKernels.halfOfBytes(w, b)), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  static void dequantizeQ5_0(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / Q5_0.BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q5_0.TYPE_SIZE;
      int y = dstOffset + i * Q5_0.BLOCK_SIZE;
      FloatVector d = FloatVector.broadcast(F, VectorKernels.halfOfBytes(w, b));
      IntVector qh = IntVector.broadcast(I, VectorKernels.littleInt(w, b + Q5_0.QH));
      for (int j = 0; j < 16; j += L) {
        IntVector q = (IntVector) ByteVector.fromArray(B, w, b + Q5_0.QS + j)
            .convertShape(VectorOperators.B2I, I, 0);
        IntVector lo = q.lanewise(VectorOperators.AND, 0xF).or(qh
            .lanewise(VectorOperators.LSHR, IntVector.fromArray(I, WEIGHT_INDEX, j))
            .lanewise(VectorOperators.AND, 1).lanewise(VectorOperators.LSHL, 4)).sub(16);
        IntVector hi = q.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF).or(qh
            .lanewise(VectorOperators.LSHR, IntVector.fromArray(I, WEIGHT_INDEX, 16 + j))
            .lanewise(VectorOperators.AND, 1).lanewise(VectorOperators.LSHL, 4)).sub(16);
        ((FloatVector) lo.convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(dst, y + j);
        ((FloatVector) hi.convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(dst, y + 16 + j);
      }
    }
  }

  static float dotQ5_1(byte[] w, int offset, float[] x, int xOffset, int n) {
    int nb = n / Q5_1.BLOCK_SIZE;
    FloatVector acc = FloatVector.zero(F);
    FloatVector accm = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q5_1.TYPE_SIZE;
      int xb = xOffset + i * Q5_1.BLOCK_SIZE;
      IntVector qh = IntVector.broadcast(I, VectorKernels.littleInt(w, b + Q5_1.QH));
      FloatVector sq = FloatVector.zero(F);
      FloatVector sx = FloatVector.zero(F);
      for (int j = 0; j < 16; j += L) {
        FloatVector xl = FloatVector.fromArray(F, x, xb + j);
        FloatVector xh = FloatVector.fromArray(F, x, xb + 16 + j);
        IntVector q = (IntVector) ByteVector.fromArray(B, w, b + Q5_1.QS + j)
            .convertShape(VectorOperators.B2I, I, 0);
        IntVector lo = q.lanewise(VectorOperators.AND, 0xF).or(qh
            .lanewise(VectorOperators.LSHR, IntVector.fromArray(I, WEIGHT_INDEX, j))
            .lanewise(VectorOperators.AND, 1).lanewise(VectorOperators.LSHL, 4));
        IntVector hi = q.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF).or(qh
            .lanewise(VectorOperators.LSHR, IntVector.fromArray(I, WEIGHT_INDEX, 16 + j))
            .lanewise(VectorOperators.AND, 1).lanewise(VectorOperators.LSHL, 4));
        sq = ((FloatVector) hi.convertShape(VectorOperators.I2F, F, 0)).fma(xh, ((FloatVector) lo
            .convertShape(VectorOperators.I2F, F, 0)).fma(xl, sq));
        sx = sx.add(xl).add(xh);
      }
      acc = sq.fma(FloatVector.broadcast(F, VectorKernels.halfOfBytes(w, b)), acc);
      accm = sx.fma(FloatVector.broadcast(F, VectorKernels.halfOfBytes(w, b + 2)), accm);
    }
    return acc.reduceLanes(VectorOperators.ADD) + accm.reduceLanes(VectorOperators.ADD);
  }

  static void dequantizeQ5_1(byte[] w, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / Q5_1.BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q5_1.TYPE_SIZE;
      int y = dstOffset + i * Q5_1.BLOCK_SIZE;
      FloatVector d = FloatVector.broadcast(F, VectorKernels.halfOfBytes(w, b));
      FloatVector m = FloatVector.broadcast(F, VectorKernels.halfOfBytes(w, b + 2));
      IntVector qh = IntVector.broadcast(I, VectorKernels.littleInt(w, b + Q5_1.QH));
      for (int j = 0; j < 16; j += L) {
        IntVector q = (IntVector) ByteVector.fromArray(B, w, b + Q5_1.QS + j)
            .convertShape(VectorOperators.B2I, I, 0);
        IntVector lo = q.lanewise(VectorOperators.AND, 0xF).or(qh
            .lanewise(VectorOperators.LSHR, IntVector.fromArray(I, WEIGHT_INDEX, j))
            .lanewise(VectorOperators.AND, 1).lanewise(VectorOperators.LSHL, 4));
        IntVector hi = q.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF).or(qh
            .lanewise(VectorOperators.LSHR, IntVector.fromArray(I, WEIGHT_INDEX, 16 + j))
            .lanewise(VectorOperators.AND, 1).lanewise(VectorOperators.LSHL, 4));
        ((FloatVector) lo.convertShape(VectorOperators.I2F, F, 0)).mul(d).add(m)
            .intoArray(dst, y + j);
        ((FloatVector) hi.convertShape(VectorOperators.I2F, F, 0)).mul(d).add(m)
            .intoArray(dst, y + 16 + j);
      }
    }
  }

  // ---------------------------------------------------------------- IQ4_NL, MXFP4

  /*
   * The two table formats share their kernels: both hold 16 quant bytes that index a table of 16
   * signed levels, and differ only in the table, where the quants start (after an F16 scale, or
   * after an E8M0 exponent) and how the block scale is read.
   */

  private static int tableQuants(boolean mxfp4) {
    return mxfp4 ? 1 : 2;
  }

  private static float tableScale(boolean mxfp4, byte[] w, int b) {
    return mxfp4 ? MXFP4.scale(w[b]) : VectorKernels.halfOfBytes(w, b);
  }

  static float dotTableExpanded(GgmlType type, byte[] w, int offset, float[] x, int xOffset, int n, byte[] levels) {
    boolean mxfp4 = type == GgmlType.MXFP4;
    byte[] table = mxfp4 ? MXFP4.VALUES : IQ4_NL.VALUES;
    int typeSize = type.typeSize();
    FloatVector acc = FloatVector.zero(F);
    for (int i = 0; i < n / 32; i++) {
      int b = offset + i * typeSize;
      int xb = xOffset + i * 32;
      expand(w, b + tableQuants(mxfp4), table, levels);
      FloatVector s = FloatVector.zero(F);
      for (int j = 0; j < 32; j += L) {
        s = ((FloatVector) ((IntVector) ByteVector.fromArray(B, levels, j)
            .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
            .fma(FloatVector.fromArray(F, x, xb + j), s);
      }
      acc = s.fma(FloatVector.broadcast(F, tableScale(mxfp4, w, b)), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  static void dequantizeTableExpanded(GgmlType type, byte[] w, int offset, float[] dst, int dstOffset, int n, byte[] levels) {
    boolean mxfp4 = type == GgmlType.MXFP4;
    byte[] table = mxfp4 ? MXFP4.VALUES : IQ4_NL.VALUES;
    int typeSize = type.typeSize();
    for (int i = 0; i < n / 32; i++) {
      int b = offset + i * typeSize;
      int y = dstOffset + i * 32;
      expand(w, b + tableQuants(mxfp4), table, levels);
      FloatVector d = FloatVector.broadcast(F, tableScale(mxfp4, w, b));
      for (int j = 0; j < 32; j += L) {
        ((FloatVector) ((IntVector) ByteVector.fromArray(B, levels, j).convertShape(VectorOperators.B2I, I, 0))
            .convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(dst, y + j);
      }
    }
  }

  static float dotTableShuffled(GgmlType type, byte[] w, int offset, float[] x, int xOffset, int n) {
    boolean mxfp4 = type == GgmlType.MXFP4;
    ByteVector low = mxfp4 ? MXFP4_LOW : IQ4_NL_LOW;
    ByteVector high = mxfp4 ? MXFP4_HIGH : IQ4_NL_HIGH;
    int typeSize = type.typeSize();
    FloatVector acc = FloatVector.zero(F);
    for (int i = 0; i < n / 32; i++) {
      int b = offset + i * typeSize;
      int xb = xOffset + i * 32;
      int qs = b + tableQuants(mxfp4);
      FloatVector s = FloatVector.zero(F);
      for (int j = 0; j < 16; j += L) {
        ByteVector q = ByteVector.fromArray(B, w, qs + j);
        ByteVector lo = ONE_TABLE ? q.lanewise(VectorOperators.AND, (byte) 0xF)
            : q.lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.ASHR, 4);
        ByteVector hi = ONE_TABLE ? q.lanewise(VectorOperators.LSHR, 4)
            : q.lanewise(VectorOperators.ASHR, 4);
        ByteVector vl = ONE_TABLE ? low.rearrange(lo.toShuffle()) : low.rearrange(lo.toShuffle(), high);
        ByteVector vh = ONE_TABLE ? low.rearrange(hi.toShuffle()) : low.rearrange(hi.toShuffle(), high);
        s = ((FloatVector) ((IntVector) vh.convertShape(VectorOperators.B2I, I, 0))
            .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, x, xb + 16 + j),
                ((FloatVector) ((IntVector) vl.convertShape(VectorOperators.B2I, I, 0))
                    .convertShape(VectorOperators.I2F, F, 0))
                    .fma(FloatVector.fromArray(F, x, xb + j), s));
      }
      acc = s.fma(FloatVector.broadcast(F, tableScale(mxfp4, w, b)), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  static void dequantizeTableShuffled(GgmlType type, byte[] w, int offset, float[] dst, int dstOffset, int n) {
    boolean mxfp4 = type == GgmlType.MXFP4;
    ByteVector low = mxfp4 ? MXFP4_LOW : IQ4_NL_LOW;
    ByteVector high = mxfp4 ? MXFP4_HIGH : IQ4_NL_HIGH;
    int typeSize = type.typeSize();
    for (int i = 0; i < n / 32; i++) {
      int b = offset + i * typeSize;
      int y = dstOffset + i * 32;
      int qs = b + tableQuants(mxfp4);
      FloatVector d = FloatVector.broadcast(F, tableScale(mxfp4, w, b));
      for (int j = 0; j < 16; j += L) {
        ByteVector q = ByteVector.fromArray(B, w, qs + j);
        ByteVector lo = ONE_TABLE ? q.lanewise(VectorOperators.AND, (byte) 0xF)
            : q.lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.ASHR, 4);
        ByteVector hi = ONE_TABLE ? q.lanewise(VectorOperators.LSHR, 4)
            : q.lanewise(VectorOperators.ASHR, 4);
        ByteVector vl = ONE_TABLE ? low.rearrange(lo.toShuffle()) : low.rearrange(lo.toShuffle(), high);
        ByteVector vh = ONE_TABLE ? low.rearrange(hi.toShuffle()) : low.rearrange(hi.toShuffle(), high);
        ((FloatVector) ((IntVector) vl.convertShape(VectorOperators.B2I, I, 0))
            .convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(dst, y + j);
        ((FloatVector) ((IntVector) vh.convertShape(VectorOperators.B2I, I, 0))
            .convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(dst, y + 16 + j);
      }
    }
  }

  /**
   * The 32 signed levels of a block's 16 quant bytes at {@code w[qs ..]}: weight {@code j} is
   * {@code table[low nibble of byte j]}, weight {@code j + 16} {@code table[high nibble]}. A scalar
   * lookup into a small array, which the vector loops then read as Q8_0 quants: a vector table
   * lookup (a byte rearrange) is not compiled to {@code pshufb} by JDK 17 and ran 2.5× slower
   * than scalar code there.
   */
  private static void expand(byte[] w, int qs, byte[] table, byte[] levels) {
    for (int j = 0; j < 16; j++) {
      int q = w[qs + j] & 0xFF;
      levels[j] = table[q & 0xF];
      levels[j + 16] = table[q >>> 4];
    }
  }
}
