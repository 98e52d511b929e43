package dev.banter.local.tensor;

import static dev.banter.local.tensor.VectorKernels.B;
import static dev.banter.local.tensor.VectorKernels.F;
import static dev.banter.local.tensor.VectorKernels.I;
import static dev.banter.local.tensor.VectorKernels.L;

import dev.banter.api.JvmOnly;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels of the low-bit super-block formats {@link Q2_K}, {@link Q3_K} and {@link
 * IQ4_XS}: one row's dot product and one row's expansion to floats, {@code L} lanes at a time,
 * with the species of {@link VectorKernels}. Decode reaches {@link #dot} through {@code
 * VectorKernels.matvecOther} (rows copied into a {@code byte[]}); prefill through {@link
 * #dequantize} and the float products of {@code VectorKernels.matmul}.
 *
 * <p>Each kernel works a slice of L weights at a time and every slice lies inside one sub-block
 * of 16 (Q2_K, Q3_K) or one half of a sub-block of 32 (IQ4_XS), for L = 4, 8 or 16. The integer
 * quants are assembled in int lanes (L bytes widened to L ints, the shapes every kernel of {@link
 * VectorKernels} uses), converted to floats, turned into weights with the sub-block's scale (and
 * min) and multiplied with x: one FMA builds the weights, one accumulates. Q2_K walks a
 * 128-weight half as Q6_K does: each slice of {@code qs} bytes is loaded once and yields the four
 * vectors of quants at shifts 0, 2, 4, 6, which lie 32 weights apart, each in its own accumulator.
 * Q3_K's dot takes one vector of quants per pass (shifts as variables): the four-at-once body,
 * with its high bits, outgrew what C2 inlines.
 *
 * <p>A super-block's sixteen scales are decoded first into a small float array ({@code d * sc}
 * and {@code -dmin * m}), so the slices only broadcast them. Q2_K's decode is a vector pre-pass
 * ({@link #scalesQ2_K}, the one vector helper here: small, called from the two Q2_K kernels
 * only, and measured faster than a scalar decode); Q3_K's is ggml's word-wise integer unpacking
 * in scalar code; IQ4_XS has eight scales, one per 32 weights, decoded in scalar code. IQ4_XS
 * maps the 32 4-bit indices of a sub-block to its non-linear values with two byte shuffles of
 * the 16-entry table in a 128-bit vector (one {@code vpshufb} each; the two-vector {@code
 * rearrange} a table split over two 64-bit vectors would need throws in JDK 17's non-intrinsic
 * path), stores the 32 values and widens them L at a time as every other kernel does (measured
 * faster than widening the 128-bit vectors in parts). With 4 lanes it widens from the registers
 * instead, a byte rearrange per slice: reloading would straddle the two stores (see {@link
 * #FOUR_AT_4}).
 *
 * <p>Otherwise, as in {@link VectorKernels}, no vector operation goes through a helper method
 * (C2 boxes the vectors of a helper it declines to inline). Stateless.
 */
@JvmOnly
final class VectorBlocksK {
  private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** 16 bytes: one IQ4_XS sub-block's quants, and the table of its values. */
  private static final VectorSpecies<Byte> T = ByteVector.SPECIES_128;
  /** ggml's {@code kvalues_iq4nl}: lane i holds the value of index i. */
  private static final ByteVector TABLE = ByteVector.fromArray(T, IQ4_XS.KVALUES, 0);
  /**
   * With 4 lanes: bytes {@code k .. k + 3} of a 128-bit vector moved to lanes 0..3, to widen the
   * looked-up values from registers. Storing them and loading 8 bytes at 12 and 28 would straddle
   * the two 16-byte stores, which the CPU cannot forward: IQ4_XS ran at 0.84 GB/s that way, 1.7
   * with loads that stay inside one store (resident weights, JDK 25, AVX2 at 128 bits).
   */
  private static final VectorShuffle<Byte> FOUR_AT_4 = fourAt(4);
  private static final VectorShuffle<Byte> FOUR_AT_8 = fourAt(8);
  private static final VectorShuffle<Byte> FOUR_AT_12 = fourAt(12);

  private static VectorShuffle<Byte> fourAt(int k) {
    int[] lanes = new int[T.length()];
    for (int l = 0; l < lanes.length; l++) {
      lanes[l] = (k + l) % lanes.length;
    }
    return VectorShuffle.fromArray(T, lanes, 0);
  }

  private VectorBlocksK() {}

  /** One row's dot product: {@code n} weights of {@code type} at {@code w[offset ..]} with x. */
  static float dot(GgmlType type, byte[] w, int offset, float[] x, int xOffset, int n) {
    return dot(type, w, offset, x, xOffset, n, new BlockBuffers());
  }

  /** {@link #dot(GgmlType, byte[], int, float[], int, int)} with the thread's block buffers. */
  static float dot(GgmlType type, byte[] w, int offset, float[] x, int xOffset, int n, BlockBuffers b) {
    return switch (type) {
      case Q2_K -> dotQ2_K(w, offset, x, xOffset, n, b.scales);
      case Q3_K -> dotQ3_K(w, offset, x, xOffset, n, b.scales);
      case IQ4_XS -> dotIQ4_XS(w, offset, x, xOffset, n, b.levels);
      default -> throw new IllegalStateException("no kernel for " + type);
    };
  }

  /** Expands one row of {@code n} weights of {@code type} at {@code w[offset ..]} into dst. */
  static void dequantize(GgmlType type, byte[] w, int offset, float[] dst, int dstOffset, int n) {
    dequantize(type, w, offset, dst, dstOffset, n, new BlockBuffers());
  }

  /** {@link #dequantize(GgmlType, byte[], int, float[], int, int)} with the thread's block buffers. */
  static void dequantize(GgmlType type, byte[] w, int offset, float[] dst, int dstOffset, int n, BlockBuffers b) {
    switch (type) {
      case Q2_K -> dequantizeQ2_K(w, offset, dst, dstOffset, n, b.scales);
      case Q3_K -> dequantizeQ3_K(w, offset, dst, dstOffset, n, b.scales);
      case IQ4_XS -> dequantizeIQ4_XS(w, offset, dst, dstOffset, n, b.levels);
      default -> throw new IllegalStateException("no kernel for " + type);
    }
  }

  // ---------------------------------------------------------------- Q2_K

  /**
   * {@code sf[j]} = {@code d * scale_j} and {@code sf[16 + j]} = {@code -dmin * min_j} for the
   * sixteen sub-blocks of the Q2_K super-block at {@code b}: low and high nibbles of its scale
   * bytes, L at a time.
   */
  static void scalesQ2_K(byte[] w, int b, float[] sf) {
    FloatVector d = FloatVector.broadcast(F, VectorKernels.half(w, b + Q2_K.D));
    FloatVector m = FloatVector.broadcast(F, -VectorKernels.half(w, b + Q2_K.DMIN));
    for (int j = 0; j < 16; j += L) {
      IntVector s = ((IntVector) ByteVector.fromArray(B, w, b + Q2_K.SCALES + j)
          .convertShape(VectorOperators.B2I, I, 0));
      ((FloatVector) s.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
          .mul(d).intoArray(sf, j);
      ((FloatVector) s.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 0xF)
          .convertShape(VectorOperators.I2F, F, 0)).mul(m).intoArray(sf, 16 + j);
    }
  }

  /**
   * One Q2_K row. Weight {@code l + 32 k} of half h is bits {@code 2k, 2k+1} of {@code qs[32 h +
   * l]}, in sub-block {@code 8 h + 2 k + l / 16}; its weight {@code d sc q - dmin m} is built by
   * one FMA from the decoded scales and multiplied with x into the accumulator of k.
   */
  static float dotQ2_K(byte[] w, int offset, float[] x, int xOffset, int n, float[] sf) {
    int nb = n / Q2_K.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q2_K.TYPE_SIZE;
      scalesQ2_K(w, b, sf);
      for (int h = 0; h < 2; h++) {
        int q = b + Q2_K.QS + 32 * h;
        int xi = xOffset + i * Q2_K.BLOCK_SIZE + 128 * h;
        for (int l = 0; l < 32; l += L) {
          IntVector v = ((IntVector) ByteVector.fromArray(B, w, q + l)
              .convertShape(VectorOperators.B2I, I, 0));
          int s = 8 * h + l / 16;
          a0 = ((FloatVector) v.lanewise(VectorOperators.AND, 3)
              .convertShape(VectorOperators.I2F, F, 0))
              .fma(FloatVector.broadcast(F, sf[s]), FloatVector.broadcast(F, sf[16 + s]))
              .fma(FloatVector.fromArray(F, x, xi + l), a0);
          a1 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 2).lanewise(VectorOperators.AND, 3)
              .convertShape(VectorOperators.I2F, F, 0))
              .fma(FloatVector.broadcast(F, sf[s + 2]), FloatVector.broadcast(F, sf[18 + s]))
              .fma(FloatVector.fromArray(F, x, xi + 32 + l), a1);
          a2 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 3)
              .convertShape(VectorOperators.I2F, F, 0))
              .fma(FloatVector.broadcast(F, sf[s + 4]), FloatVector.broadcast(F, sf[20 + s]))
              .fma(FloatVector.fromArray(F, x, xi + 64 + l), a2);
          a3 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 6).lanewise(VectorOperators.AND, 3)
              .convertShape(VectorOperators.I2F, F, 0))
              .fma(FloatVector.broadcast(F, sf[s + 6]), FloatVector.broadcast(F, sf[22 + s]))
              .fma(FloatVector.fromArray(F, x, xi + 96 + l), a3);
        }
      }
    }
    return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
  }

  /** The weights of {@link #dotQ2_K}, stored. */
  static void dequantizeQ2_K(byte[] w, int offset, float[] dst, int dstOffset, int n, float[] sf) {
    int nb = n / Q2_K.BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q2_K.TYPE_SIZE;
      scalesQ2_K(w, b, sf);
      for (int h = 0; h < 2; h++) {
        int q = b + Q2_K.QS + 32 * h;
        int y = dstOffset + i * Q2_K.BLOCK_SIZE + 128 * h;
        for (int l = 0; l < 32; l += L) {
          IntVector v = ((IntVector) ByteVector.fromArray(B, w, q + l)
              .convertShape(VectorOperators.B2I, I, 0));
          int s = 8 * h + l / 16;
          ((FloatVector) v.lanewise(VectorOperators.AND, 3)
              .convertShape(VectorOperators.I2F, F, 0))
              .fma(FloatVector.broadcast(F, sf[s]), FloatVector.broadcast(F, sf[16 + s]))
              .intoArray(dst, y + l);
          ((FloatVector) v.lanewise(VectorOperators.ASHR, 2).lanewise(VectorOperators.AND, 3)
              .convertShape(VectorOperators.I2F, F, 0))
              .fma(FloatVector.broadcast(F, sf[s + 2]), FloatVector.broadcast(F, sf[18 + s]))
              .intoArray(dst, y + 32 + l);
          ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 3)
              .convertShape(VectorOperators.I2F, F, 0))
              .fma(FloatVector.broadcast(F, sf[s + 4]), FloatVector.broadcast(F, sf[20 + s]))
              .intoArray(dst, y + 64 + l);
          ((FloatVector) v.lanewise(VectorOperators.ASHR, 6).lanewise(VectorOperators.AND, 3)
              .convertShape(VectorOperators.I2F, F, 0))
              .fma(FloatVector.broadcast(F, sf[s + 6]), FloatVector.broadcast(F, sf[22 + s]))
              .intoArray(dst, y + 96 + l);
        }
      }
    }
  }

  // ---------------------------------------------------------------- Q3_K

  /**
   * {@code sf[j]} = {@code d * (scale_j - 32)} for the sixteen sub-blocks of the Q3_K super-block
   * at {@code b}, by ggml's word-wise unpacking ({@code kmask1}/{@code kmask2}: four 6-bit scales
   * per int). Scalar: a vector pre-pass here is a vector helper, which C2 then declines to
   * inline into the kernel (Q3_K ran at a third of Q2_K's speed with one).
   */
  static void scalesQ3_K(byte[] w, int b, float[] sf) {
    int a0 = (int) INT_LE.get(w, b + Q3_K.SCALES);
    int a1 = (int) INT_LE.get(w, b + Q3_K.SCALES + 4);
    int t = (int) INT_LE.get(w, b + Q3_K.SCALES + 8);
    float d = VectorKernels.half(w, b + Q3_K.D);
    int r0 = (a0 & 0x0F0F0F0F) | ((t & 0x03030303) << 4);
    int r1 = (a1 & 0x0F0F0F0F) | (((t >>> 2) & 0x03030303) << 4);
    int r2 = ((a0 >>> 4) & 0x0F0F0F0F) | (((t >>> 4) & 0x03030303) << 4);
    int r3 = ((a1 >>> 4) & 0x0F0F0F0F) | (((t >>> 6) & 0x03030303) << 4);
    for (int k = 0; k < 4; k++) {
      sf[k] = d * (((r0 >>> (8 * k)) & 0x3F) - 32);
      sf[4 + k] = d * (((r1 >>> (8 * k)) & 0x3F) - 32);
      sf[8 + k] = d * (((r2 >>> (8 * k)) & 0x3F) - 32);
      sf[12 + k] = d * (((r3 >>> (8 * k)) & 0x3F) - 32);
    }
  }

  /**
   * One Q3_K row. Weight {@code l + 32 k} of half h is bits {@code 2k, 2k+1} of {@code qs[32 h +
   * l]} plus 4 times bit {@code 4 h + k} of {@code hmask[l]}, minus 4, in sub-block {@code 8 h + 2
   * k + l / 16}. One vector of quants per pass, k and h as shift counts: the four-at-once shape of
   * {@link #dotQ2_K}, with the high bits added, outgrew {@code NodeCountInliningCutoff} and C2
   * boxed its vectors (a third of Q2_K's speed); reloading the bytes from L1 costs less.
   */
  static float dotQ3_K(byte[] w, int offset, float[] x, int xOffset, int n, float[] sf) {
    int nb = n / Q3_K.BLOCK_SIZE;
    FloatVector acc = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q3_K.TYPE_SIZE;
      scalesQ3_K(w, b, sf);
      for (int h = 0; h < 2; h++) {
        for (int k = 0; k < 4; k++) {
          int q = b + Q3_K.QS + 32 * h;
          int xi = xOffset + i * Q3_K.BLOCK_SIZE + 128 * h + 32 * k;
          int s = 8 * h + 2 * k;
          for (int l = 0; l < 32; l += L) {
            IntVector v = ((IntVector) ByteVector.fromArray(B, w, q + l)
                .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.ASHR, 2 * k)
                .lanewise(VectorOperators.AND, 3);
            IntVector m = ((IntVector) ByteVector.fromArray(B, w, b + Q3_K.HMASK + l)
                .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.ASHR, 4 * h + k)
                .lanewise(VectorOperators.AND, 1).lanewise(VectorOperators.LSHL, 2);
            acc = ((FloatVector) v.or(m).sub(4).convertShape(VectorOperators.I2F, F, 0))
                .mul(sf[s + l / 16]).fma(FloatVector.fromArray(F, x, xi + l), acc);
          }
        }
      }
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  /** The weights of {@link #dotQ3_K}, stored. */
  static void dequantizeQ3_K(byte[] w, int offset, float[] dst, int dstOffset, int n, float[] sf) {
    int nb = n / Q3_K.BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * Q3_K.TYPE_SIZE;
      scalesQ3_K(w, b, sf);
      for (int h = 0; h < 2; h++) {
        int q = b + Q3_K.QS + 32 * h;
        int y = dstOffset + i * Q3_K.BLOCK_SIZE + 128 * h;
        for (int l = 0; l < 32; l += L) {
          IntVector v = ((IntVector) ByteVector.fromArray(B, w, q + l)
              .convertShape(VectorOperators.B2I, I, 0));
          IntVector m = ((IntVector) ByteVector.fromArray(B, w, b + Q3_K.HMASK + l)
              .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.ASHR, 4 * h);
          int s = 8 * h + l / 16;
          ((FloatVector) v.lanewise(VectorOperators.AND, 3)
              .or(m.lanewise(VectorOperators.AND, 1).lanewise(VectorOperators.LSHL, 2)).sub(4)
              .convertShape(VectorOperators.I2F, F, 0)).mul(sf[s]).intoArray(dst, y + l);
          ((FloatVector) v.lanewise(VectorOperators.ASHR, 2).lanewise(VectorOperators.AND, 3)
              .or(m.lanewise(VectorOperators.AND, 2).lanewise(VectorOperators.LSHL, 1)).sub(4)
              .convertShape(VectorOperators.I2F, F, 0)).mul(sf[s + 2]).intoArray(dst, y + 32 + l);
          ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 3)
              .or(m.lanewise(VectorOperators.AND, 4)).sub(4)
              .convertShape(VectorOperators.I2F, F, 0)).mul(sf[s + 4]).intoArray(dst, y + 64 + l);
          ((FloatVector) v.lanewise(VectorOperators.ASHR, 6).lanewise(VectorOperators.AND, 3)
              .or(m.lanewise(VectorOperators.ASHR, 1).lanewise(VectorOperators.AND, 4)).sub(4)
              .convertShape(VectorOperators.I2F, F, 0)).mul(sf[s + 6]).intoArray(dst, y + 96 + l);
        }
      }
    }
  }

  // ---------------------------------------------------------------- IQ4_XS

  /** {@code d * (ls - 32)} of sub-block {@code ib} of the IQ4_XS super-block at {@code b}. */
  private static float scaleIQ4_XS(byte[] w, int b, float d, int ib) {
    int low = ((w[b + IQ4_XS.SCALES_L + (ib >> 1)] & 0xFF) >> (4 * (ib & 1))) & 0xF;
    int high = (((short) SHORT_LE.get(w, b + IQ4_XS.SCALES_H) & 0xFFFF) >> (2 * ib)) & 3;
    return d * ((low | high << 4) - 32);
  }

  /**
   * One IQ4_XS row. Each sub-block of 32 is a Q4_0-style run of 16 bytes (low nibbles: weights 0..
   * 15, high nibbles: 16..31); the nibbles index the table by a byte shuffle, the values are
   * widened, multiplied with x, and the sub-block's sum is scaled once.
   */
  static float dotIQ4_XS(byte[] w, int offset, float[] x, int xOffset, int n, byte[] v) {
    int nb = n / IQ4_XS.BLOCK_SIZE;
    FloatVector acc = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      int b = offset + i * IQ4_XS.TYPE_SIZE;
      float d = VectorKernels.half(w, b + IQ4_XS.D);
      for (int ib = 0; ib < 8; ib++) {
        int xi = xOffset + i * IQ4_XS.BLOCK_SIZE + 32 * ib;
        ByteVector q = ByteVector.fromArray(T, w, b + IQ4_XS.QS + 16 * ib);
        ByteVector lo = TABLE.rearrange(q.lanewise(VectorOperators.AND, (byte) 0xF).toShuffle());
        ByteVector hi = TABLE.rearrange(q.lanewise(VectorOperators.LSHR, 4).toShuffle());
        FloatVector s = FloatVector.zero(F);
        if (L == 4) {
          // Weights j .. j + 3 moved to lanes 0..3 of the 128-bit vectors in registers (see FOUR_AT).
          s = ((FloatVector) ((IntVector) lo.convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, x, xi), s);
          s = ((FloatVector) ((IntVector) lo.rearrange(FOUR_AT_4).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, x, xi + 4), s);
          s = ((FloatVector) ((IntVector) lo.rearrange(FOUR_AT_8).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, x, xi + 8), s);
          s = ((FloatVector) ((IntVector) lo.rearrange(FOUR_AT_12).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, x, xi + 12), s);
          s = ((FloatVector) ((IntVector) hi.convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, x, xi + 16), s);
          s = ((FloatVector) ((IntVector) hi.rearrange(FOUR_AT_4).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, x, xi + 20), s);
          s = ((FloatVector) ((IntVector) hi.rearrange(FOUR_AT_8).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, x, xi + 24), s);
          s = ((FloatVector) ((IntVector) hi.rearrange(FOUR_AT_12).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, x, xi + 28), s);
        } else {
          lo.intoArray(v, 0);
          hi.intoArray(v, 16);
          for (int j = 0; j < 32; j += L) {
            s = ((FloatVector) ((IntVector) ByteVector.fromArray(B, v, j)
                .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                .fma(FloatVector.fromArray(F, x, xi + j), s);
          }
        }
        acc = s.fma(FloatVector.broadcast(F, scaleIQ4_XS(w, b, d, ib)), acc);
      }
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  /** The weights of {@link #dotIQ4_XS}, stored. */
  static void dequantizeIQ4_XS(byte[] w, int offset, float[] dst, int dstOffset, int n, byte[] v) {
    int nb = n / IQ4_XS.BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * IQ4_XS.TYPE_SIZE;
      float d = VectorKernels.half(w, b + IQ4_XS.D);
      for (int ib = 0; ib < 8; ib++) {
        int y = dstOffset + i * IQ4_XS.BLOCK_SIZE + 32 * ib;
        ByteVector q = ByteVector.fromArray(T, w, b + IQ4_XS.QS + 16 * ib);
        ByteVector lo = TABLE.rearrange(q.lanewise(VectorOperators.AND, (byte) 0xF).toShuffle());
        ByteVector hi = TABLE.rearrange(q.lanewise(VectorOperators.LSHR, 4).toShuffle());
        FloatVector dl = FloatVector.broadcast(F, scaleIQ4_XS(w, b, d, ib));
        if (L == 4) {
          ((FloatVector) ((IntVector) lo.convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).mul(dl).intoArray(dst, y);
          ((FloatVector) ((IntVector) lo.rearrange(FOUR_AT_4).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).mul(dl).intoArray(dst, y + 4);
          ((FloatVector) ((IntVector) lo.rearrange(FOUR_AT_8).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).mul(dl).intoArray(dst, y + 8);
          ((FloatVector) ((IntVector) lo.rearrange(FOUR_AT_12).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).mul(dl).intoArray(dst, y + 12);
          ((FloatVector) ((IntVector) hi.convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).mul(dl).intoArray(dst, y + 16);
          ((FloatVector) ((IntVector) hi.rearrange(FOUR_AT_4).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).mul(dl).intoArray(dst, y + 20);
          ((FloatVector) ((IntVector) hi.rearrange(FOUR_AT_8).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).mul(dl).intoArray(dst, y + 24);
          ((FloatVector) ((IntVector) hi.rearrange(FOUR_AT_12).convertShape(VectorOperators.B2I, I, 0))
              .convertShape(VectorOperators.I2F, F, 0)).mul(dl).intoArray(dst, y + 28);
        } else {
          lo.intoArray(v, 0);
          hi.intoArray(v, 16);
          for (int j = 0; j < 32; j += L) {
            ((FloatVector) ((IntVector) ByteVector.fromArray(B, v, j)
                .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                .mul(dl).intoArray(dst, y + j);
          }
        }
      }
    }
  }
}
