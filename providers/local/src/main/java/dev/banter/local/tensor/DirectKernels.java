package dev.banter.local.tensor;

import static dev.banter.local.tensor.VectorKernels.B;
import static dev.banter.local.tensor.VectorKernels.B4;
import static dev.banter.local.tensor.VectorKernels.F;
import static dev.banter.local.tensor.VectorKernels.I;
import static dev.banter.local.tensor.VectorKernels.K4_HIGH;
import static dev.banter.local.tensor.VectorKernels.K4_LOW;
import static dev.banter.local.tensor.VectorKernels.K4_MASK;
import static dev.banter.local.tensor.VectorKernels.K4_SHIFT;
import static dev.banter.local.tensor.VectorKernels.K4_TOP;
import static dev.banter.local.tensor.VectorKernels.L;
import static dev.banter.local.tensor.VectorKernels.MINS_AT_0;

import dev.banter.api.JvmOnly;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.logging.Logger;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Decode products that load the weights straight from the mapped file, for the JVMs that can: JDK
 * 22 and later, whose Vector API loads from a {@code java.lang.foreign.MemorySegment}. The copy
 * that {@link VectorKernels} makes first (see there) stalls the thread while the weights come
 * from memory; a load from the mapping lets the hardware prefetcher stream the next weights while
 * the current ones are multiplied: Q8_0, Q4_0, Q4_K and Q6_K. With eight lanes (CPUs without
 * AVX-512) Q8_0 decode goes from 12.5 to 16.5 tokens/s on bench-1b; Q4_K, Q6_K and Q8_0 got their
 * own eight-lane kernels later ({@link #dotQ4_K8}, {@link #dotQ6_K8}, {@link #dotQ8_08}), which
 * read the quants as int lanes and mask them in place (see docs/design-decisions.md).
 *
 * <p>Java 17 bytecode cannot name {@code MemorySegment}, so the segment is an {@code Object} and
 * the calls that need it ({@code ByteVector.fromMemorySegment}, {@code MemorySegment.get} of a
 * short or an int, {@code Float.float16ToFloat}) are method handles in static final fields, and
 * {@code VectorOperators.ZERO_EXTEND_B2I} (JDK 21+) a constant read once: C2 treats them as
 * constants and inlines the handles like direct calls.
 *
 * <p>One row per pass, each super-block in one pass over its bytes in file order (scales first,
 * then quants), so the loads form one stream the prefetcher follows; a pre-pass over the headers
 * alone (16 bytes in 144) missed the cache at every super-block, and a body of two rows with
 * these calls exceeds what C2 inlines (its vectors are then boxed, 2-3× slower). What makes one
 * row fast is independent accumulators: with a single chain of dependent FMAs per row the kernel
 * waits on FMA latency rather than on memory. Q8_0 takes four blocks per step into four
 * accumulators, Q4_K two (low and high nibbles), Q6_K keeps four; with the zero-extended nibbles
 * this took bench-1b decode from 13.4 to 21.4 tokens/s (Q8_0) and 15.0 to 21.1 (Q4_K_M) at one
 * thread, 25.1 to 37.1 and 28.3 to 38.6 at two. Q4_0's block is small enough that one chain keeps
 * up (two were slower). Once loads stream, the 4-bit kernels are bound by their arithmetic per
 * weight, so Q4_K, whose quants lie in aligned runs of 128 bytes, reads them as ints and makes
 * floats with integer operations (see {@link #dotQ4_K}). Results match the copy kernels' within
 * rounding (sums in a different order), not bit for bit. {@code -Dbanter.direct=false} turns this
 * path off.
 */
@JvmOnly
final class DirectKernels {
  private static final Logger LOG = Logger.getLogger(DirectKernels.class.getName());
  /** {@code (ByteBuffer) -> MemorySegment} as {@code (ByteBuffer) -> Object}. */
  private static final MethodHandle OF_BUFFER;
  /** {@code ByteVector.fromMemorySegment(species, segment, offset, order)}, segment as Object. */
  private static final MethodHandle LOAD;
  /** {@code segment.get(JAVA_SHORT_UNALIGNED, offset)}, little-endian, segment as Object. */
  private static final MethodHandle GET_SHORT;
  /** {@code segment.get(JAVA_INT_UNALIGNED, offset)}, little-endian, segment as Object. */
  private static final MethodHandle GET_INT;
  /** {@code Float.float16ToFloat(short)}. */
  private static final MethodHandle HALF;
  /** {@code VectorOperators.ZERO_EXTEND_B2I} (JDK 21 and later): bytes as 0..255. */
  private static final VectorOperators.Conversion<Byte, Integer> UB2I;
  private static final boolean AVAILABLE;

  static {
    MethodHandle ofBuffer = null;
    MethodHandle load = null;
    MethodHandle getShort = null;
    MethodHandle getInt = null;
    MethodHandle half = null;
    VectorOperators.Conversion<Byte, Integer> ub2i = null;
    boolean available = false;
    if (!Boolean.parseBoolean(System.getProperty("banter.direct", "true"))) {
      LOG.fine("direct loads from the mapped weights disabled by -Dbanter.direct=false");
    } else if (Runtime.version().feature() < 22) {
      LOG.fine("direct loads from the mapped weights need JDK 22 or later; copying instead");
    } else if (L < 4) {
      // No format has a direct kernel below four lanes (see supports): reports say "vector".
      LOG.fine("direct loads from the mapped weights need 4 or more float lanes; copying instead");
    } else {
      try {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> ofShort = Class.forName("java.lang.foreign.ValueLayout$OfShort");
        Object shortLayout = valueLayout.getField("JAVA_SHORT_UNALIGNED").get(null);
        Object littleShort = ofShort.getMethod("withOrder", ByteOrder.class).invoke(shortLayout,
            ByteOrder.LITTLE_ENDIAN);
        ofBuffer = lookup.findStatic(segment, "ofBuffer", MethodType.methodType(segment, Buffer.class))
            .asType(MethodType.methodType(Object.class, ByteBuffer.class));
        load = lookup.findStatic(ByteVector.class, "fromMemorySegment",
                MethodType.methodType(ByteVector.class, VectorSpecies.class, segment, long.class, ByteOrder.class))
            .asType(MethodType.methodType(ByteVector.class, VectorSpecies.class, Object.class, long.class,
                ByteOrder.class));
        getShort = MethodHandles.insertArguments(lookup.findVirtual(segment, "get",
                MethodType.methodType(short.class, ofShort, long.class)), 1, littleShort)
            .asType(MethodType.methodType(short.class, Object.class, long.class));
        getInt = getter(lookup, segment, valueLayout, "JAVA_INT_UNALIGNED", "java.lang.foreign.ValueLayout$OfInt",
            int.class);
        @SuppressWarnings("unchecked")
        VectorOperators.Conversion<Byte, Integer> zeroExtend = (VectorOperators.Conversion<Byte, Integer>)
            VectorOperators.class.getField("ZERO_EXTEND_B2I").get(null);
        ub2i = zeroExtend;
        half = lookup.findStatic(Float.class, "float16ToFloat", MethodType.methodType(float.class, short.class));
        available = true;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.fine("direct loads from the mapped weights unavailable (" + e + "); copying instead");
      }
    }
    OF_BUFFER = ofBuffer;
    LOAD = load;
    GET_SHORT = getShort;
    GET_INT = getInt;
    HALF = half;
    UB2I = ub2i;
    AVAILABLE = available;
  }

  private DirectKernels() {}

  /** {@code segment.get(layout.withOrder(LITTLE_ENDIAN), offset)} as {@code (Object, long) -> type}. */
  private static MethodHandle getter(MethodHandles.Lookup lookup, Class<?> segment, Class<?> valueLayout,
      String layoutField, String layoutClass, Class<?> type) throws ReflectiveOperationException {
    Class<?> layoutType = Class.forName(layoutClass);
    Object layout = layoutType.getMethod("withOrder", ByteOrder.class)
        .invoke(valueLayout.getField(layoutField).get(null), ByteOrder.LITTLE_ENDIAN);
    return MethodHandles.insertArguments(lookup.findVirtual(segment, "get",
            MethodType.methodType(type, layoutType, long.class)), 1, layout)
        .asType(MethodType.methodType(type, Object.class, long.class));
  }

  /** Whether this JVM loads vectors straight from mapped weights. */
  static boolean available() {
    return AVAILABLE;
  }

  /**
   * Whether {@link #matvec} handles {@code type}: Q8_0, Q4_0, Q4_K and Q6_K with four, eight or
   * sixteen lanes.
   */
  static boolean supports(GgmlType type) {
    return switch (type) {
      case Q8_0, Q4_0, Q4_K, Q6_K -> L >= 4;
      default -> false;
    };
  }

  /**
   * A segment over a direct (mapped or native) buffer's remaining bytes, no copy; null for a heap
   * buffer or where there is none. Heap buffers take the copy kernels: a segment load that has seen
   * both heap and native segments is compiled for either base, and C2 then runs the vector loads
   * in Java (the JDK 25 allocation check caught it after the fixture tests' mapped files and a heap
   * matrix had shared {@code dotQ4_K}).
   */
  static Object segmentOf(ByteBuffer data) {
    if (!AVAILABLE || !data.isDirect()) {
      return null;
    }
    try {
      return (Object) OF_BUFFER.invokeExact(data);
    } catch (Throwable e) {
      LOG.fine("no memory segment over a weight buffer (" + e + "); copying instead");
      return null;
    }
  }

  /** {@code out[outOffset + r] = row_r . x} for rows {@code [r0, r1)} of {@code w}. */
  static void matvec(GgmlType type, Object w, int rowBytes, int cols, float[] x, int xOffset,
      float[] out, int outOffset, int r0, int r1, Scratch s) {
    try {
      if (type == GgmlType.Q4_0) {
        float[] xsum = s.xsum(cols / 32);
        VectorKernels.blockSums(x, xOffset, cols, xsum);
        if (L == 4) {
          float[] xp = s.xPermuted(cols);
          permuteQ4_04(x, xOffset, cols, xp, 0);
          for (int r = r0; r < r1; r++) {
            out[outOffset + r] = dotQ4_04(w, (long) r * rowBytes, xp, xsum, cols);
          }
        } else {
          for (int r = r0; r < r1; r++) {
            out[outOffset + r] = dotQ4_0(w, (long) r * rowBytes, x, xOffset, xsum, cols);
          }
        }
      } else if (type == GgmlType.Q4_K) {
        float[] xsum = s.xsum(cols / 32);
        VectorKernels.blockSums(x, xOffset, cols, xsum);
        float[] xp = s.xPermuted(cols);
        permuteQ4_K(x, xOffset, cols, xp, 0);
        if (L <= 8) {
          float[] sc = s.scales(16 * (cols / Q4_K.BLOCK_SIZE));
          for (int r = r0; r < r1; r++) {
            out[outOffset + r] = L == 8 ? dotQ4_K8(w, (long) r * rowBytes, xp, xsum, cols, sc)
                : dotQ4_K4(w, (long) r * rowBytes, xp, xsum, cols, sc);
          }
        } else {
          float[] xw = s.xsumWide(2 * cols / 32);
          sumsAtScalesAndMins(xsum, cols / 32, xw);
          for (int r = r0; r < r1; r++) {
            out[outOffset + r] = dotQ4_K(w, (long) r * rowBytes, xp, xw, cols);
          }
        }
      } else if (type == GgmlType.Q8_0) {
        if (L <= 8) {
          float[] xsum = s.xsum(cols / 32);
          VectorKernels.blockSums(x, xOffset, cols, xsum);
          float[] xp = s.xPermuted(cols);
          permuteBytes(x, xOffset, cols, xp, 0, BYTE_PLACE_Q8);
          for (int r = r0; r < r1; r++) {
            out[outOffset + r] = dotQ8_08(w, (long) r * rowBytes, xp, xsum, cols);
          }
        } else {
          for (int r = r0; r < r1; r++) {
            out[outOffset + r] = dotQ8_0x16(w, (long) r * rowBytes, x, xOffset, cols);
          }
        }
      } else if (type == GgmlType.Q6_K) {
        float[] sc = s.scales(16 * (cols / Q6_K.BLOCK_SIZE));
        if (L == 8) {
          float[] xp = s.xPermuted(cols);
          permuteBytes(x, xOffset, cols, xp, 0, BYTE_PLACE);
          float[] xs = s.xsumWide(cols / 4);
          laneSums(x, xOffset, cols, xs, 0);
          for (int r = r0; r < r1; r++) {
            out[outOffset + r] = dotQ6_K8(w, (long) r * rowBytes, xp, xs, cols, sc);
          }
        } else if (L == 4) {
          float[] xsum16 = s.xsum(cols / 16);
          VectorKernels.sums16(x, xOffset, cols, xsum16);
          float[] xp = s.xPermuted(cols);
          permuteBytes(x, xOffset, cols, xp, 0, BYTE_PLACE);
          float[] xs = s.xsumWide(cols / 16);
          transposeSums16(xsum16, cols / 16, xs);
          for (int r = r0; r < r1; r++) {
            out[outOffset + r] = dotQ6_K4(w, (long) r * rowBytes, xp, xs, cols, sc);
          }
        } else {
          float[] xsum16 = s.xsum(cols / 16);
          VectorKernels.sums16(x, xOffset, cols, xsum16);
          for (int r = r0; r < r1; r++) {
            out[outOffset + r] = dotQ6_K(w, (long) r * rowBytes, x, xOffset, xsum16, cols / Q6_K.BLOCK_SIZE, sc);
          }
        }
      } else {
        throw new IllegalArgumentException("no direct kernel for " + type);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("direct product failed", e);
    }
  }

  /**
   * Whether {@link #matvecTokens} handles {@code type}: Q4_0, Q4_K with four or eight lanes, Q6_K
   * with eight.
   */
  static boolean supportsTokens(GgmlType type) {
    return supports(type) && (type == GgmlType.Q4_0 || type == GgmlType.Q4_K && L <= 8
        || type == GgmlType.Q6_K && L == 8);
  }

  /**
   * {@code tokens} products at once, for decode steps that share a pass:
   * {@code out[outOffset + t * outStride + r] = row_r . x_t} for rows {@code [r0, r1)}, with
   * {@code x_t} at {@code x[xOffset + t * cols ..]}, {@code tokens} a multiple of two. Each row's
   * weights are loaded and converted once for four tokens (Q4_0, then a pair for the rest) or two
   * (Q4_K, Q6_K); each token's sum takes exactly the operations of {@link #matvec}, so a request's
   * logits do not depend on the company it decodes in.
   */
  static void matvecTokens(GgmlType type, Object w, int rowBytes, int cols, float[] x, int xOffset, int tokens,
      float[] out, int outOffset, int outStride, int r0, int r1, Scratch s) {
    if (!supportsTokens(type)) {
      throw new IllegalArgumentException("no direct multi-token kernel for " + type);
    }
    if (tokens % 2 != 0) {
      throw new IllegalArgumentException("the multi-token kernels take a multiple of two tokens, got " + tokens);
    }
    if (type == GgmlType.Q4_K && L == 4) {
      matvecTokensQ4_K4(w, rowBytes, cols, x, xOffset, tokens, out, outOffset, outStride, r0, r1, s);
      return;
    }
    if (type == GgmlType.Q4_K) {
      matvecTokensQ4_K8(w, rowBytes, cols, x, xOffset, tokens, out, outOffset, outStride, r0, r1, s);
      return;
    }
    if (type == GgmlType.Q6_K) {
      matvecTokensQ6_K8(w, rowBytes, cols, x, xOffset, tokens, out, outOffset, outStride, r0, r1, s);
      return;
    }
    int nb = cols / Q4_0.BLOCK_SIZE;
    float[] xsum = s.xsum(tokens * nb);
    for (int t = 0; t < tokens; t++) {
      VectorKernels.blockSums(x, xOffset + t * cols, cols, xsum, t * nb);
    }
    if (L == 4) {
      matvecTokensQ4_04(w, rowBytes, cols, x, xOffset, tokens, xsum, out, outOffset, outStride, r0, r1, s);
      return;
    }
    try {
      int t = 0;
      for (; t + 4 <= tokens; t += 4) {
        for (int r = r0; r < r1; r++) {
          dot4Q4_0(w, (long) r * rowBytes, x, xOffset + t * cols, xOffset + (t + 1) * cols, xOffset + (t + 2) * cols,
              xOffset + (t + 3) * cols, xsum, t * nb, (t + 1) * nb, (t + 2) * nb, (t + 3) * nb, cols, out,
              outOffset + t * outStride + r, outOffset + (t + 1) * outStride + r,
              outOffset + (t + 2) * outStride + r, outOffset + (t + 3) * outStride + r);
        }
      }
      if (t < tokens) {
        for (int r = r0; r < r1; r++) {
          dot2Q4_0(w, (long) r * rowBytes, x, xOffset + t * cols, xOffset + (t + 1) * cols, xsum, t * nb,
              (t + 1) * nb, cols, out, outOffset + t * outStride + r, outOffset + (t + 1) * outStride + r);
        }
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("direct product failed", e);
    }
  }

  private static final int[] FIRST_63 = {63, 63, 63, 63, 0, 0, 0, 0};
  private static final int[] SECOND_15 = {0, 0, 0, 0, 15, 15, 15, 15};
  private static final int[] SECOND_48 = {0, 0, 0, 0, 0x30, 0x30, 0x30, 0x30};

  /**
   * A Q4_K super-block's eight scales times d into {@code sc[at .. at+7]} and its eight mins times
   * dmin into {@code sc[at+8 .. at+15]}: ggml's {@code get_scale_min_k4} for all eight at once. With eight
   * lanes the twelve scale bytes q are read as three overlapping runs of eight (from q[-4], q[0]
   * and q[4]; q[-4..-1] are dmin's bytes, masked off), so lane j sees q[j-4], q[j] and q[j+4];
   * lanes 0..3 take the plain 6-bit fields, lanes 4..7 the nibble and two top bits, chosen by
   * masks that are zero in the other half; with four lanes each half has its own vectors and needs
   * no masks. Vector work once per 256 weights in place of scalar conversions and products per
   * sub-block, which competed with the kernel for the float units.
   */
  private static void scalesQ4_K8(Object w, long b, float[] sc, int at) throws Throwable {
    int dm = (int) GET_INT.invokeExact(w, b);
    float d = (float) HALF.invokeExact((short) dm);
    float dmin = (float) HALF.invokeExact((short) (dm >>> 16));
    if (L == 4) {
      IntVector q0 = (IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + Q4_K.SCALES, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0);
      IntVector q4 = (IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + Q4_K.SCALES + 4, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0);
      IntVector q8 = (IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + Q4_K.SCALES + 8, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0);
      ((FloatVector) q0.lanewise(VectorOperators.AND, 63).convertShape(VectorOperators.I2F, F, 0)).mul(d)
          .intoArray(sc, at);
      ((FloatVector) q8.lanewise(VectorOperators.AND, 15).or(q0.lanewise(VectorOperators.ASHR, 2)
          .lanewise(VectorOperators.AND, 0x30)).convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(sc, at + 4);
      ((FloatVector) q4.lanewise(VectorOperators.AND, 63).convertShape(VectorOperators.I2F, F, 0)).mul(dmin)
          .intoArray(sc, at + 8);
      ((FloatVector) q8.lanewise(VectorOperators.ASHR, 4).lanewise(VectorOperators.AND, 15)
          .or(q4.lanewise(VectorOperators.ASHR, 2).lanewise(VectorOperators.AND, 0x30))
          .convertShape(VectorOperators.I2F, F, 0)).mul(dmin).intoArray(sc, at + 12);
      return;
    }
    IntVector before = (IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + Q4_K.SCALES - 4, ByteOrder.LITTLE_ENDIAN))
        .convertShape(VectorOperators.B2I, I, 0);
    IntVector on = (IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + Q4_K.SCALES, ByteOrder.LITTLE_ENDIAN))
        .convertShape(VectorOperators.B2I, I, 0);
    IntVector after = (IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + Q4_K.SCALES + 4, ByteOrder.LITTLE_ENDIAN))
        .convertShape(VectorOperators.B2I, I, 0);
    IntVector first63 = IntVector.fromArray(I, FIRST_63, 0);
    IntVector second15 = IntVector.fromArray(I, SECOND_15, 0);
    IntVector second48 = IntVector.fromArray(I, SECOND_48, 0);
    IntVector scales = on.and(first63).or(after.and(second15))
        .or(before.lanewise(VectorOperators.ASHR, 2).and(second48));
    IntVector mins = after.and(first63).or(after.lanewise(VectorOperators.ASHR, 4).and(second15))
        .or(on.lanewise(VectorOperators.ASHR, 2).and(second48));
    ((FloatVector) scales.convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(sc, at);
    ((FloatVector) mins.convertShape(VectorOperators.I2F, F, 0)).mul(dmin).intoArray(sc, at + 8);
  }

  /**
   * {@link #scalesQ4_K8} for each of a row's {@code nb} super-blocks, super-block i's into {@code
   * sc[16 i ..]}: decoded ahead of the row's products, so the product loop holds no call and
   * runs as one flat loop over the row (see {@link #dotQ4_K8}).
   */
  private static void scalesQ4_K8Row(Object w, long row, int nb, float[] sc) throws Throwable {
    for (int i = 0; i < nb; i++) {
      scalesQ4_K8(w, row + (long) i * Q4_K.TYPE_SIZE, sc, 16 * i);
    }
  }

  /**
   * {@link #matvecTokens} for Q4_K with four lanes: two tokens at a time through {@link
   * #dot2Q4_K4}, each weight converted once for both; each token's x permuted as for {@link
   * #dotQ4_K4}, at {@code xp[t cols ..]}.
   */
  private static void matvecTokensQ4_K4(Object w, int rowBytes, int cols, float[] x, int xOffset, int tokens,
      float[] out, int outOffset, int outStride, int r0, int r1, Scratch s) {
    int nb = cols / 32;
    float[] xsum = s.xsum(tokens * nb);
    float[] xp = s.xPermuted(tokens * cols);
    float[] sc = s.scales(16 * (cols / Q4_K.BLOCK_SIZE));
    for (int t = 0; t < tokens; t++) {
      VectorKernels.blockSums(x, xOffset + t * cols, cols, xsum, t * nb);
      permuteQ4_K(x, xOffset + t * cols, cols, xp, t * cols);
    }
    try {
      for (int t = 0; t < tokens; t += 2) {
        for (int r = r0; r < r1; r++) {
          dot2Q4_K4(w, (long) r * rowBytes, xp, t * cols, (t + 1) * cols, xsum, t * nb, (t + 1) * nb, cols, sc,
              out, outOffset + t * outStride + r, outOffset + (t + 1) * outStride + r);
        }
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("direct product failed", e);
    }
  }

  /**
   * {@link #dotQ4_K4} of one row with two vectors (x at {@code xp[x0 ..]} and {@code xp[x1 ..]},
   * block sums at {@code xsum[m0 ..]} and {@code xsum[m1 ..]}): each nibble converted once, each
   * token's sums with exactly the operations of {@link #dotQ4_K4}.
   */
  private static void dot2Q4_K4(Object w, long row, float[] xp, int x0, int x1, float[] xsum, int m0, int m1, int n,
      float[] sc, float[] out, int o0, int o1) throws Throwable {
    int nb = n / Q4_K.BLOCK_SIZE;
    scalesQ4_K8Row(w, row, nb, sc);
    FloatVector minsA = FloatVector.zero(F);
    FloatVector minsB = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      FloatVector lo = FloatVector.fromArray(F, sc, 16 * i + 8);
      FloatVector hi = FloatVector.fromArray(F, sc, 16 * i + 12);
      minsA = lo.fma(FloatVector.fromArray(F, xsum, m0 + 8 * i), minsA);
      minsA = hi.fma(FloatVector.fromArray(F, xsum, m0 + 8 * i + 4), minsA);
      minsB = lo.fma(FloatVector.fromArray(F, xsum, m1 + 8 * i), minsB);
      minsB = hi.fma(FloatVector.fromArray(F, xsum, m1 + 8 * i + 4), minsB);
    }
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector b0 = FloatVector.zero(F);
    FloatVector b1 = FloatVector.zero(F);
    for (int k = 0; k < 4 * nb; k++) {
      long b = row + (long) (k >> 2) * Q4_K.TYPE_SIZE + Q4_K.QS + 32 * (k & 3);
      IntVector q = ((ByteVector) LOAD.invokeExact(B4, w, b, ByteOrder.LITTLE_ENDIAN)).reinterpretAsInts();
      int xo = 64 * k;
      FloatVector f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
      FloatVector ea = f.mul(FloatVector.fromArray(F, xp, x0 + xo));
      FloatVector eb = f.mul(FloatVector.fromArray(F, xp, x1 + xo));
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 4).convertShape(VectorOperators.I2F, F, 0);
      FloatVector oa = f.mul(FloatVector.fromArray(F, xp, x0 + xo + 4));
      FloatVector ob = f.mul(FloatVector.fromArray(F, xp, x1 + xo + 4));
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 8).convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 8), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 8), eb);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 12).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 12), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 12), ob);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 16).convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 16), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 16), eb);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 20).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 20), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 20), ob);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 24).convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 24), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 24), eb);
      f = (FloatVector) q.lanewise(VectorOperators.LSHR, 28).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 28), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 28), ob);
      q = ((ByteVector) LOAD.invokeExact(B4, w, b + 16, ByteOrder.LITTLE_ENDIAN)).reinterpretAsInts();
      xo += 32;
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, x0 + xo), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, x1 + xo), eb);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 4).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 4), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 4), ob);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 8).convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 8), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 8), eb);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 12).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 12), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 12), ob);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 16).convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 16), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 16), eb);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 20).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 20), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 20), ob);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 24).convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 24), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 24), eb);
      f = (FloatVector) q.lanewise(VectorOperators.LSHR, 28).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 28), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 28), ob);
      int si = 16 * (k >> 2) + 2 * (k & 3);
      FloatVector v = FloatVector.broadcast(F, sc[si]);
      a0 = ea.fma(v, a0);
      b0 = eb.fma(v, b0);
      v = FloatVector.broadcast(F, sc[si + 1]);
      a1 = oa.fma(v, a1);
      b1 = ob.fma(v, b1);
    }
    out[o0] = a0.add(a1).reduceLanes(VectorOperators.ADD) - minsA.reduceLanes(VectorOperators.ADD);
    out[o1] = b0.add(b1).reduceLanes(VectorOperators.ADD) - minsB.reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@link #matvecTokens} for Q4_K with eight lanes: two tokens at a time through {@link
   * #dot2Q4_K8}, each weight converted once for both (four tokens' accumulators would not fit in
   * AVX2's sixteen registers). The pair's permuted x are interleaved per nibble, so that both
   * tokens' loads share one index.
   */
  private static void matvecTokensQ4_K8(Object w, int rowBytes, int cols, float[] x, int xOffset, int tokens,
      float[] out, int outOffset, int outStride, int r0, int r1, Scratch s) {
    int nb = cols / 32;
    float[] xsum = s.xsum(tokens * nb);
    float[] xp = s.xPermuted(tokens * cols);
    float[] sc = s.scales(16 * (cols / Q4_K.BLOCK_SIZE));
    for (int t = 0; t < tokens; t++) {
      VectorKernels.blockSums(x, xOffset + t * cols, cols, xsum, t * nb);
    }
    for (int t = 0; t < tokens; t += 2) {
      permuteQ4_K2(x, xOffset + t * cols, xOffset + (t + 1) * cols, cols, xp, t * cols);
    }
    try {
      for (int t = 0; t < tokens; t += 2) {
        for (int r = r0; r < r1; r++) {
          dot2Q4_K8(w, (long) r * rowBytes, xp, t * cols, xsum, t * nb, (t + 1) * nb, cols, sc, out,
              outOffset + t * outStride + r, outOffset + (t + 1) * outStride + r);
        }
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("direct product failed", e);
    }
  }

  /**
   * Two tokens' x in {@link #permuteQ4_K}'s order (eight lanes), interleaved: nibble p of group
   * {@code base} is at {@code xp[at + 2 base + 16 p ..]} for the first token and 8 further for the
   * second.
   */
  private static void permuteQ4_K2(float[] x, int x0, int x1, int n, float[] xp, int at) {
    for (int base = 0; base < n; base += 64) {
      for (int p = 0; p < 8; p++) {
        for (int k = 0; k < 8; k++) {
          int from = base + 32 * (p & 1) + 4 * k + (p >> 1);
          xp[at + 2 * base + 16 * p + k] = x[x0 + from] * NIBBLE_PLACE[p];
          xp[at + 2 * base + 16 * p + 8 + k] = x[x1 + from] * NIBBLE_PLACE[p];
        }
      }
    }
  }

  /**
   * {@link #dotQ4_K8} of one row with two vectors (x from {@link #permuteQ4_K2} at {@code xp[at
   * ..]}, block sums at {@code xsum[m0 ..]} and {@code xsum[m1 ..]}): each nibble converted once,
   * each token's sums with exactly the operations of {@link #dotQ4_K8}, so a token's result does
   * not depend on the token it is paired with. The even nibbles' sums are finished before the odd
   * ones start, which keeps the live vectors within AVX2's sixteen registers.
   */
  private static void dot2Q4_K8(Object w, long row, float[] xp, int at, float[] xsum, int m0, int m1, int n,
      float[] sc, float[] out, int o0, int o1) throws Throwable {
    int nb = n / Q4_K.BLOCK_SIZE;
    scalesQ4_K8Row(w, row, nb, sc);
    FloatVector minsA = FloatVector.zero(F);
    FloatVector minsB = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      FloatVector mn = FloatVector.fromArray(F, sc, 16 * i + 8);
      minsA = mn.fma(FloatVector.fromArray(F, xsum, m0 + 8 * i), minsA);
      minsB = mn.fma(FloatVector.fromArray(F, xsum, m1 + 8 * i), minsB);
    }
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector b0 = FloatVector.zero(F);
    FloatVector b1 = FloatVector.zero(F);
    for (int k = 0; k < 4 * nb; k++) {
      IntVector q = ((ByteVector) LOAD.invokeExact(B4, w, row + (long) (k >> 2) * Q4_K.TYPE_SIZE + Q4_K.QS
          + 32 * (k & 3), ByteOrder.LITTLE_ENDIAN)).reinterpretAsInts();
      int xo = at + 128 * k;
      int si = 16 * (k >> 2) + 2 * (k & 3);
      FloatVector f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
      FloatVector ea = f.mul(FloatVector.fromArray(F, xp, xo));
      FloatVector eb = f.mul(FloatVector.fromArray(F, xp, xo + 8));
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 8)
          .convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, xo + 32), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, xo + 40), eb);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 16)
          .convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, xo + 64), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, xo + 72), eb);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 24)
          .convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, xo + 96), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, xo + 104), eb);
      FloatVector v = FloatVector.broadcast(F, sc[si]);
      a0 = ea.fma(v, a0);
      b0 = eb.fma(v, b0);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 4)
          .convertShape(VectorOperators.I2F, F, 0);
      FloatVector oa = f.mul(FloatVector.fromArray(F, xp, xo + 16));
      FloatVector ob = f.mul(FloatVector.fromArray(F, xp, xo + 24));
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 12)
          .convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, xo + 48), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, xo + 56), ob);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 20)
          .convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, xo + 80), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, xo + 88), ob);
      f = (FloatVector) q.lanewise(VectorOperators.LSHR, 28).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, xo + 112), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, xo + 120), ob);
      v = FloatVector.broadcast(F, sc[si + 1]);
      a1 = oa.fma(v, a1);
      b1 = ob.fma(v, b1);
    }
    out[o0] = a0.add(a1).reduceLanes(VectorOperators.ADD) - minsA.reduceLanes(VectorOperators.ADD);
    out[o1] = b0.add(b1).reduceLanes(VectorOperators.ADD) - minsB.reduceLanes(VectorOperators.ADD);
  }

  /** {@link #dotQ4_0} of one row with two vectors: each weight vector converted once, each sum as there. */
  private static void dot2Q4_0(Object w, long offset, float[] x, int x0, int x1, float[] xsum, int m0, int m1, int n,
      float[] out, int o0, int o1) throws Throwable {
    int nb = n / Q4_0.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    float c0 = 0f;
    float c1 = 0f;
    for (int i = 0; i < nb; i++) {
      long b = offset + (long) i * Q4_0.TYPE_SIZE;
      int xb = i * Q4_0.BLOCK_SIZE;
      IntVector q = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + 2, ByteOrder.LITTLE_ENDIAN))
          .convertShape(UB2I, I, 0));
      FloatVector ql = (FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
      FloatVector qh = (FloatVector) q.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0);
      FloatVector s0 = qh.fma(FloatVector.fromArray(F, x, x0 + xb + 16), ql.mul(FloatVector.fromArray(F, x, x0 + xb)));
      FloatVector s1 = qh.fma(FloatVector.fromArray(F, x, x1 + xb + 16), ql.mul(FloatVector.fromArray(F, x, x1 + xb)));
      if (L == 8) {
        q = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + 10, ByteOrder.LITTLE_ENDIAN))
            .convertShape(UB2I, I, 0));
        ql = (FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
        qh = (FloatVector) q.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0);
        s0 = qh.fma(FloatVector.fromArray(F, x, x0 + xb + 24), ql.fma(FloatVector.fromArray(F, x, x0 + xb + 8), s0));
        s1 = qh.fma(FloatVector.fromArray(F, x, x1 + xb + 24), ql.fma(FloatVector.fromArray(F, x, x1 + xb + 8), s1));
      }
      float d = (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b));
      FloatVector dv = FloatVector.broadcast(F, d);
      a0 = s0.fma(dv, a0);
      a1 = s1.fma(dv, a1);
      c0 += d * xsum[m0 + i];
      c1 += d * xsum[m1 + i];
    }
    out[o0] = a0.reduceLanes(VectorOperators.ADD) - 8 * c0;
    out[o1] = a1.reduceLanes(VectorOperators.ADD) - 8 * c1;
  }

  /** {@link #dotQ4_0} of one row with four vectors: each weight vector converted once, each sum as there. */
  private static void dot4Q4_0(Object w, long offset, float[] x, int x0, int x1, int x2, int x3, float[] xsum,
      int m0, int m1, int m2, int m3, int n, float[] out, int o0, int o1, int o2, int o3) throws Throwable {
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
      long b = offset + (long) i * Q4_0.TYPE_SIZE;
      int xb = i * Q4_0.BLOCK_SIZE;
      IntVector q = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + 2, ByteOrder.LITTLE_ENDIAN))
          .convertShape(UB2I, I, 0));
      FloatVector ql = (FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
      FloatVector qh = (FloatVector) q.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0);
      FloatVector s0 = qh.fma(FloatVector.fromArray(F, x, x0 + xb + 16), ql.mul(FloatVector.fromArray(F, x, x0 + xb)));
      FloatVector s1 = qh.fma(FloatVector.fromArray(F, x, x1 + xb + 16), ql.mul(FloatVector.fromArray(F, x, x1 + xb)));
      FloatVector s2 = qh.fma(FloatVector.fromArray(F, x, x2 + xb + 16), ql.mul(FloatVector.fromArray(F, x, x2 + xb)));
      FloatVector s3 = qh.fma(FloatVector.fromArray(F, x, x3 + xb + 16), ql.mul(FloatVector.fromArray(F, x, x3 + xb)));
      if (L == 8) {
        q = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + 10, ByteOrder.LITTLE_ENDIAN))
            .convertShape(UB2I, I, 0));
        ql = (FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
        qh = (FloatVector) q.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0);
        s0 = qh.fma(FloatVector.fromArray(F, x, x0 + xb + 24), ql.fma(FloatVector.fromArray(F, x, x0 + xb + 8), s0));
        s1 = qh.fma(FloatVector.fromArray(F, x, x1 + xb + 24), ql.fma(FloatVector.fromArray(F, x, x1 + xb + 8), s1));
        s2 = qh.fma(FloatVector.fromArray(F, x, x2 + xb + 24), ql.fma(FloatVector.fromArray(F, x, x2 + xb + 8), s2));
        s3 = qh.fma(FloatVector.fromArray(F, x, x3 + xb + 24), ql.fma(FloatVector.fromArray(F, x, x3 + xb + 8), s3));
      }
      float d = (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b));
      FloatVector dv = FloatVector.broadcast(F, d);
      a0 = s0.fma(dv, a0);
      a1 = s1.fma(dv, a1);
      a2 = s2.fma(dv, a2);
      a3 = s3.fma(dv, a3);
      c0 += d * xsum[m0 + i];
      c1 += d * xsum[m1 + i];
      c2 += d * xsum[m2 + i];
      c3 += d * xsum[m3 + i];
    }
    out[o0] = a0.reduceLanes(VectorOperators.ADD) - 8 * c0;
    out[o1] = a1.reduceLanes(VectorOperators.ADD) - 8 * c1;
    out[o2] = a2.reduceLanes(VectorOperators.ADD) - 8 * c2;
    out[o3] = a3.reduceLanes(VectorOperators.ADD) - 8 * c3;
  }

  /**
   * x in the order {@link #dotQ4_04} meets the weights: in each block, nibble p of int lane k
   * (byte {@code 4 k + p/2}, low or high nibble: weight {@code 4 k + p/2 + 16 (p & 1)}) at {@code
   * xp[4 p + k]}, times {@code 16^-p} for the nibbles masked in place.
   */
  private static void permuteQ4_04(float[] x, int xOffset, int n, float[] xp, int at) {
    for (int base = 0; base < n; base += Q4_0.BLOCK_SIZE) {
      for (int p = 0; p < 8; p++) {
        for (int k = 0; k < 4; k++) {
          xp[at + base + 4 * p + k] = x[xOffset + base + 4 * k + (p >> 1) + 16 * (p & 1)] * NIBBLE_PLACE[p];
        }
      }
    }
  }

  /**
   * One Q4_0 row with four lanes (NEON's width): a block's sixteen quant bytes are one load of
   * four ints, whose eight nibbles are masked in place and converted (x permuted and scaled to
   * match, {@link #permuteQ4_04}); the offset of 8 is paid back through the block sums.
   */
  private static float dotQ4_04(Object w, long offset, float[] xp, float[] xsum, int n) throws Throwable {
    int nb = n / Q4_0.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    float c = 0f;
    for (int i = 0; i < nb; i++) {
      long b = offset + (long) i * Q4_0.TYPE_SIZE;
      IntVector q = ((ByteVector) LOAD.invokeExact(B4, w, b + 2, ByteOrder.LITTLE_ENDIAN)).reinterpretAsInts();
      int xo = Q4_0.BLOCK_SIZE * i;
      FloatVector e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
          .mul(FloatVector.fromArray(F, xp, xo));
      FloatVector o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 4).convertShape(VectorOperators.I2F, F, 0))
          .mul(FloatVector.fromArray(F, xp, xo + 4));
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 8).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, xp, xo + 8), e);
      o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 12).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, xp, xo + 12), o);
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 16).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, xp, xo + 16), e);
      o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 20).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, xp, xo + 20), o);
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 24).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, xp, xo + 24), e);
      o = ((FloatVector) q.lanewise(VectorOperators.LSHR, 28).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, xp, xo + 28), o);
      float d = (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b));
      FloatVector dv = FloatVector.broadcast(F, d);
      a0 = e.fma(dv, a0);
      a1 = o.fma(dv, a1);
      c += d * xsum[i];
    }
    return a0.add(a1).reduceLanes(VectorOperators.ADD) - 8 * c;
  }

  /**
   * {@link #matvecTokens} for Q4_0 with four lanes: two tokens at a time through {@link
   * #dot2Q4_04}, each token's x permuted as for {@link #dotQ4_04} at {@code xp[t cols ..]}.
   */
  private static void matvecTokensQ4_04(Object w, int rowBytes, int cols, float[] x, int xOffset, int tokens,
      float[] xsum, float[] out, int outOffset, int outStride, int r0, int r1, Scratch s) {
    int nb = cols / Q4_0.BLOCK_SIZE;
    float[] xp = s.xPermuted(tokens * cols);
    for (int t = 0; t < tokens; t++) {
      permuteQ4_04(x, xOffset + t * cols, cols, xp, t * cols);
    }
    try {
      for (int t = 0; t < tokens; t += 2) {
        for (int r = r0; r < r1; r++) {
          dot2Q4_04(w, (long) r * rowBytes, xp, t * cols, (t + 1) * cols, xsum, t * nb, (t + 1) * nb, cols, out,
              outOffset + t * outStride + r, outOffset + (t + 1) * outStride + r);
        }
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("direct product failed", e);
    }
  }

  /**
   * {@link #dotQ4_04} of one row with two vectors: each nibble converted once, each token's sums
   * with exactly the operations of {@link #dotQ4_04}.
   */
  private static void dot2Q4_04(Object w, long offset, float[] xp, int x0, int x1, float[] xsum, int m0, int m1,
      int n, float[] out, int o0, int o1) throws Throwable {
    int nb = n / Q4_0.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector b0 = FloatVector.zero(F);
    FloatVector b1 = FloatVector.zero(F);
    float ca = 0f;
    float cb = 0f;
    for (int i = 0; i < nb; i++) {
      long b = offset + (long) i * Q4_0.TYPE_SIZE;
      IntVector q = ((ByteVector) LOAD.invokeExact(B4, w, b + 2, ByteOrder.LITTLE_ENDIAN)).reinterpretAsInts();
      int xo = Q4_0.BLOCK_SIZE * i;
      FloatVector f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
      FloatVector ea = f.mul(FloatVector.fromArray(F, xp, x0 + xo + 0));
      FloatVector eb = f.mul(FloatVector.fromArray(F, xp, x1 + xo + 0));
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 4).convertShape(VectorOperators.I2F, F, 0);
      FloatVector oa = f.mul(FloatVector.fromArray(F, xp, x0 + xo + 4));
      FloatVector ob = f.mul(FloatVector.fromArray(F, xp, x1 + xo + 4));
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 8).convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 8), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 8), eb);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 12).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 12), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 12), ob);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 16).convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 16), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 16), eb);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 20).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 20), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 20), ob);
      f = (FloatVector) q.lanewise(VectorOperators.AND, 0xF << 24).convertShape(VectorOperators.I2F, F, 0);
      ea = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 24), ea);
      eb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 24), eb);
      f = (FloatVector) q.lanewise(VectorOperators.LSHR, 28).convertShape(VectorOperators.I2F, F, 0);
      oa = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 28), oa);
      ob = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 28), ob);
      float d = (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b));
      FloatVector dv = FloatVector.broadcast(F, d);
      a0 = ea.fma(dv, a0);
      a1 = oa.fma(dv, a1);
      b0 = eb.fma(dv, b0);
      b1 = ob.fma(dv, b1);
      ca += d * xsum[m0 + i];
      cb += d * xsum[m1 + i];
    }
    out[o0] = a0.add(a1).reduceLanes(VectorOperators.ADD) - 8 * ca;
    out[o1] = b0.add(b1).reduceLanes(VectorOperators.ADD) - 8 * cb;
  }

  /**
   * {@link VectorKernels#dot1Q4_0}'s sum, loading from the segment: a block's quants in one load of
   * sixteen bytes (sixteen lanes) or two of eight, written out rather than looped over, since C2
   * sets up the range checks of segment loads per entry of the innermost loop. A block's products
   * are one multiply and one multiply-add per load (low nibbles times x, then the high ones added),
   * scaled into the sum by a second multiply-add; {@link #dot2Q4_0} and {@link #dot4Q4_0} run
   * exactly these operations per token on weights converted once.
   */
  private static float dotQ4_0(Object w, long offset, float[] x, int xOffset, float[] xsum, int n)
      throws Throwable {
    int nb = n / Q4_0.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    float c0 = 0f;
    for (int i = 0; i < nb; i++) {
      long b = offset + (long) i * Q4_0.TYPE_SIZE;
      int xb = i * Q4_0.BLOCK_SIZE;
      IntVector q = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + 2, ByteOrder.LITTLE_ENDIAN))
          .convertShape(UB2I, I, 0));
      FloatVector ql = (FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
      FloatVector qh = (FloatVector) q.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0);
      FloatVector s0 = qh.fma(FloatVector.fromArray(F, x, xOffset + xb + 16),
          ql.mul(FloatVector.fromArray(F, x, xOffset + xb)));
      if (L == 8) {
        q = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + 10, ByteOrder.LITTLE_ENDIAN))
            .convertShape(UB2I, I, 0));
        ql = (FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0);
        qh = (FloatVector) q.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0);
        s0 = qh.fma(FloatVector.fromArray(F, x, xOffset + xb + 24),
            ql.fma(FloatVector.fromArray(F, x, xOffset + xb + 8), s0));
      }
      float d = (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b));
      FloatVector dv = FloatVector.broadcast(F, d);
      a0 = s0.fma(dv, a0);
      c0 += d * xsum[i];
    }
    return a0.reduceLanes(VectorOperators.ADD) - 8 * c0;
  }

  /**
   * Which scale multiplies the sum of lanes (0..7, 8..15) of the even (low) and odd (high)
   * nibbles of the first and second 64 bytes of a super-block's quants: sub-blocks (0, 2) and
   * (1, 3), then (4, 6) and (5, 7), at their lanes of the decoded scales vector.
   */
  private static final VectorShuffle<Float> SCALES_LOW_0 = L == 16 ? twoScales(0, 2) : null;
  private static final VectorShuffle<Float> SCALES_HIGH_0 = L == 16 ? twoScales(1, 3) : null;
  private static final VectorShuffle<Float> SCALES_LOW_1 = L == 16 ? twoScales(8, 10) : null;
  private static final VectorShuffle<Float> SCALES_HIGH_1 = L == 16 ? twoScales(9, 11) : null;

  private static VectorShuffle<Float> twoScales(int first, int second) {
    int[] lanes = new int[16];
    for (int k = 0; k < 16; k++) {
      lanes[k] = k < 8 ? first : second;
    }
    return VectorShuffle.fromArray(F, lanes, 0);
  }

  /**
   * The block sums of x at both the scales' and the mins' lanes of each super-block's sixteen
   * decoded values (the scales' share is what {@link #dotQ4_K}'s {@code 1 + q/16} adds).
   */
  private static void sumsAtScalesAndMins(float[] xsum, int n, float[] xw) {
    for (int i = 0; i < n / 8; i++) {
      for (int s = 0; s < 8; s++) {
        int lane = s < 4 ? s : s + 4;
        xw[16 * i + lane] = xsum[8 * i + s];
        xw[16 * i + lane + 4] = xsum[8 * i + s];
      }
    }
  }

  /**
   * x in the order {@link #dotQ4_K} and {@link #dotQ4_K8} meet the weights: per 4L bytes of
   * quants (L int lanes; groups of 64 weights g and, with sixteen lanes, g + 1 in lanes 8..15),
   * nibble p (0..7) of int lane k is weight {@code 64 (k / 8) + 32 (p % 2) + 4 (k % 8) + p / 2}.
   */
  /**
   * With eight lanes nibble p ({@code p < 7}) of a quant int is masked in place, not shifted down,
   * so it converts to {@code q 16^p}; its x is stored times {@code 16^-p} to match. Both factors
   * are powers of two, so each product is exactly {@code q x} and the sums are those of the
   * shifted form, with one operation fewer per eight weights. Nibble 7 is shifted (masked in
   * place it would be negative).
   */
  private static final float[] NIBBLE_PLACE = {1f, 0x1p-4f, 0x1p-8f, 0x1p-12f, 0x1p-16f, 0x1p-20f, 0x1p-24f, 1f};

  private static void permuteQ4_K(float[] x, int xOffset, int n, float[] xp, int at) {
    for (int base = 0; base < n; base += 8 * L) {
      // With four lanes a run of 32 quant bytes is two loads: the second's weights start 16 further.
      int from = L == 4 ? (base & ~63) + 16 * ((base >> 5) & 1) : base;
      for (int p = 0; p < 8; p++) {
        float f = L <= 8 ? NIBBLE_PLACE[p] : 1f;
        for (int k = 0; k < L; k++) {
          xp[at + base + L * p + k] = x[xOffset + from + 64 * (k >> 3) + 32 * (p & 1) + 4 * (k & 7) + (p >> 1)] * f;
        }
      }
    }
  }

  /**
   * One Q4_K row with eight lanes (AVX2), its quants read 32 bytes at a time as eight ints, x
   * permuted to match ({@link #permuteQ4_K}). Those 32 bytes are one pair of sub-blocks (low
   * nibbles the first, high the second), so the even nibbles of every lane share one scale and the
   * odd ones the next: each enters as a broadcast of the scales {@link #scalesQ4_K8Row} decoded
   * for the whole row first. A nibble is masked in place and converted (x carries the {@code
   * 16^-p}), without {@link #dotQ4_K}'s {@code 1 + q/16} offset, whose cancellation against the
   * block sums cost digits here. Per sub-block j: {@code d sc_j sum(q x) - dmin m_j xsum_j}.
   *
   * <p>The row is one flat loop over its 32-byte runs, not super-blocks and runs nested: C2 sets
   * up the range checks of segment loads per entry of the innermost loop, which with four runs
   * per super-block cost more scalar work than the arithmetic (see docs/design-decisions.md).
   */
  private static float dotQ4_K8(Object w, long row, float[] xp, float[] xsum, int n, float[] sc) throws Throwable {
    int nb = n / Q4_K.BLOCK_SIZE;
    scalesQ4_K8Row(w, row, nb, sc);
    FloatVector mins = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      mins = FloatVector.fromArray(F, sc, 16 * i + 8).fma(FloatVector.fromArray(F, xsum, 8 * i), mins);
    }
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    for (int k = 0; k < 4 * nb; k++) {
      IntVector q = ((ByteVector) LOAD.invokeExact(B4, w, row + (long) (k >> 2) * Q4_K.TYPE_SIZE + Q4_K.QS
          + 32 * (k & 3), ByteOrder.LITTLE_ENDIAN)).reinterpretAsInts();
      int xo = 64 * k;
      FloatVector e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
          .mul(FloatVector.fromArray(F, xp, xo));
      FloatVector o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 4)
          .convertShape(VectorOperators.I2F, F, 0)).mul(FloatVector.fromArray(F, xp, xo + 8));
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 8)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 16), e);
      o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 12)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 24), o);
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 16)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 32), e);
      o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 20)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 40), o);
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 24)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 48), e);
      o = ((FloatVector) q.lanewise(VectorOperators.LSHR, 28)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 56), o);
      int si = 16 * (k >> 2) + 2 * (k & 3);
      a0 = e.fma(FloatVector.broadcast(F, sc[si]), a0);
      a1 = o.fma(FloatVector.broadcast(F, sc[si + 1]), a1);
    }
    return a0.add(a1).reduceLanes(VectorOperators.ADD) - mins.reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@link #dotQ4_K8} with four lanes (NEON): each 32-byte run in two loads of four ints, written
   * out, in the same flat loop over runs with the row's scales decoded first.
   */
  private static float dotQ4_K4(Object w, long row, float[] xp, float[] xsum, int n, float[] sc) throws Throwable {
    int nb = n / Q4_K.BLOCK_SIZE;
    scalesQ4_K8Row(w, row, nb, sc);
    FloatVector mins = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      mins = FloatVector.fromArray(F, sc, 16 * i + 8).fma(FloatVector.fromArray(F, xsum, 8 * i), mins);
      mins = FloatVector.fromArray(F, sc, 16 * i + 12).fma(FloatVector.fromArray(F, xsum, 8 * i + 4), mins);
    }
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    for (int k = 0; k < 4 * nb; k++) {
      long b = row + (long) (k >> 2) * Q4_K.TYPE_SIZE + Q4_K.QS + 32 * (k & 3);
      IntVector q = ((ByteVector) LOAD.invokeExact(B4, w, b, ByteOrder.LITTLE_ENDIAN)).reinterpretAsInts();
      int xo = 64 * k;
      FloatVector e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
          .mul(FloatVector.fromArray(F, xp, xo));
      FloatVector o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 4)
          .convertShape(VectorOperators.I2F, F, 0)).mul(FloatVector.fromArray(F, xp, xo + 4));
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 8)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 8), e);
      o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 12)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 12), o);
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 16)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 16), e);
      o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 20)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 20), o);
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 24)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 24), e);
      o = ((FloatVector) q.lanewise(VectorOperators.LSHR, 28)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 28), o);
      q = ((ByteVector) LOAD.invokeExact(B4, w, b + 16, ByteOrder.LITTLE_ENDIAN)).reinterpretAsInts();
      xo += 32;
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, xp, xo), e);
      o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 4)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 4), o);
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 8)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 8), e);
      o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 12)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 12), o);
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 16)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 16), e);
      o = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 20)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 20), o);
      e = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF << 24)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 24), e);
      o = ((FloatVector) q.lanewise(VectorOperators.LSHR, 28)
          .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 28), o);
      int si = 16 * (k >> 2) + 2 * (k & 3);
      a0 = e.fma(FloatVector.broadcast(F, sc[si]), a0);
      a1 = o.fma(FloatVector.broadcast(F, sc[si + 1]), a1);
    }
    return a0.add(a1).reduceLanes(VectorOperators.ADD) - mins.reduceLanes(VectorOperators.ADD);
  }

  /**
   * One Q4_K row, its quants read 64 bytes at a time as sixteen ints of eight nibbles each.
   * Nibble p of every lane is shifted to bits 19..22 and given the exponent of 1.0, which makes
   * the float {@code 1 + q/16} in two integer operations (shift, and-or) instead of a mask and a
   * conversion; x comes permuted to match ({@link #permuteQ4_K}), and the {@code 1} is paid back
   * once per sub-block through the block sums, with the mins: with the scales decoded as {@code
   * 16 d scale} the row is {@code sum(scale . (x . (1 + q/16))) - sum(16 d scale xsum + dmin min
   * xsum)}. Lanes 0..7 and 8..15 belong to different sub-blocks, so each scale enters as one
   * rearrangement of the decoded scales per 64 weights. Bench-1b Q4_K_M decode, one thread: 20.7
   * to 22.5-23.4 tokens/s over the byte-per-lane kernel this replaced (two threads: unchanged, at
   * the memory's pace).
   */
  private static float dotQ4_K(Object w, long row, float[] xp, float[] xw, int n) throws Throwable {
    int nb = n / Q4_K.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector m = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      long b = row + (long) i * Q4_K.TYPE_SIZE;
      IntVector v = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + Q4_K.SCALES, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0));
      IntVector low = v.rearrange(K4_LOW).lanewise(VectorOperators.LSHR, K4_SHIFT)
          .lanewise(VectorOperators.AND, K4_MASK);
      IntVector top = v.rearrange(K4_HIGH).lanewise(VectorOperators.LSHR, 6)
          .lanewise(VectorOperators.AND, K4_TOP).lanewise(VectorOperators.LSHL, 4);
      int dm = (int) GET_INT.invokeExact(w, b);
      FloatVector d = FloatVector.broadcast(F, 16f * (float) HALF.invokeExact((short) dm));
      FloatVector dmin = FloatVector.broadcast(F, (float) HALF.invokeExact((short) (dm >>> 16)));
      FloatVector sv = ((FloatVector) low.or(top).convertShape(VectorOperators.I2F, F, 0))
          .mul(d.blend(dmin, MINS_AT_0));
      m = sv.fma(FloatVector.fromArray(F, xw, 16 * i), m);
      for (int c = 0; c < 2; c++) {
        IntVector q = ((ByteVector) LOAD.invokeExact(B4, w, b + Q4_K.QS + 64 * c, ByteOrder.LITTLE_ENDIAN))
            .reinterpretAsInts();
        int xo = Q4_K.BLOCK_SIZE * i + 128 * c;
        FloatVector e = q.lanewise(VectorOperators.LSHL, 19).lanewise(VectorOperators.AND, 0x00780000)
            .lanewise(VectorOperators.OR, 0x3F800000).reinterpretAsFloats().mul(FloatVector.fromArray(F, xp, xo));
        FloatVector o = q.lanewise(VectorOperators.LSHL, 15).lanewise(VectorOperators.AND, 0x00780000)
            .lanewise(VectorOperators.OR, 0x3F800000).reinterpretAsFloats().mul(FloatVector.fromArray(F, xp, xo + 16));
        e = q.lanewise(VectorOperators.LSHL, 11).lanewise(VectorOperators.AND, 0x00780000)
            .lanewise(VectorOperators.OR, 0x3F800000).reinterpretAsFloats().fma(FloatVector.fromArray(F, xp, xo + 32), e);
        o = q.lanewise(VectorOperators.LSHL, 7).lanewise(VectorOperators.AND, 0x00780000)
            .lanewise(VectorOperators.OR, 0x3F800000).reinterpretAsFloats().fma(FloatVector.fromArray(F, xp, xo + 48), o);
        e = q.lanewise(VectorOperators.LSHL, 3).lanewise(VectorOperators.AND, 0x00780000)
            .lanewise(VectorOperators.OR, 0x3F800000).reinterpretAsFloats().fma(FloatVector.fromArray(F, xp, xo + 64), e);
        o = q.lanewise(VectorOperators.LSHR, 1).lanewise(VectorOperators.AND, 0x00780000)
            .lanewise(VectorOperators.OR, 0x3F800000).reinterpretAsFloats().fma(FloatVector.fromArray(F, xp, xo + 80), o);
        e = q.lanewise(VectorOperators.LSHR, 5).lanewise(VectorOperators.AND, 0x00780000)
            .lanewise(VectorOperators.OR, 0x3F800000).reinterpretAsFloats().fma(FloatVector.fromArray(F, xp, xo + 96), e);
        o = q.lanewise(VectorOperators.LSHR, 9).lanewise(VectorOperators.AND, 0x00780000)
            .lanewise(VectorOperators.OR, 0x3F800000).reinterpretAsFloats().fma(FloatVector.fromArray(F, xp, xo + 112), o);
        a0 = e.fma(sv.rearrange(c == 0 ? SCALES_LOW_0 : SCALES_LOW_1), a0);
        a1 = o.fma(sv.rearrange(c == 0 ? SCALES_HIGH_0 : SCALES_HIGH_1), a1);
      }
    }
    return a0.add(a1).reduceLanes(VectorOperators.ADD) - m.reduceLanes(VectorOperators.ADD);
  }

  private static final float[] BYTE_PLACE = {1f, 0x1p-8f, 0x1p-16f, 0x1p-24f};
  private static final float[] FIRST_HALF = {1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f};
  private static final float[] SECOND_HALF = {0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f};

  /**
   * x in the order the int-lane kernels ({@link #dotQ8_08}, {@link #dotQ6_K8}) meet the weights:
   * in each run of {@code 4 L} bytes read as L ints, weight {@code 4 k + m} (byte m of int lane k)
   * at {@code xp[at + L m + k]}, times {@code place[m]} to undo its quant being masked in place.
   */
  private static void permuteBytes(float[] x, int xOffset, int n, float[] xp, int at, float[] place) {
    for (int base = 0; base < n; base += 4 * L) {
      for (int m = 0; m < 4; m++) {
        for (int k = 0; k < L; k++) {
          xp[at + base + L * m + k] = x[xOffset + base + 4 * k + m] * place[m];
        }
      }
    }
  }

  /**
   * One Q6_K row with eight lanes (AVX2), x permuted to match ({@link #permuteBytes}). Per half
   * super-block the 64 bytes of low bits and the 32 of high bits are read as three vectors of
   * eight ints. Run g (weights {@code 32 g ..}) takes its nibble from the first or second 32
   * bytes (low or high nibble) and its two high bits from {@code qh}; both are masked in place at
   * byte m of each lane, so the 6-bit quant converts to {@code q 2^8m} in two masks, an or and a
   * conversion, without shifting each byte down (x carries the {@code 2^-8m}; powers of two, so
   * the products are exact). Lanes 0..3 of a run hold its first sixteen weights and lanes 4..7 the
   * second, which have their own scales: each run's sum goes into two accumulators, one per
   * scale, and only the matching halves are added at the end. The quants are used as 0..63; each
   * run's sum starts at -32 times its lanes' sums of x ({@link #laneSums}), which takes the offset
   * out before the scales.
   */
  private static float dotQ6_K8(Object w, long row, float[] xp, float[] xs, int n, float[] sc)
      throws Throwable {
    int nb = n / Q6_K.BLOCK_SIZE;
    FloatVector first = FloatVector.zero(F);
    FloatVector second = FloatVector.zero(F);
    FloatVector minus32 = FloatVector.broadcast(F, -32f);
    for (int i = 0; i < nb; i++) {
      long b = row + (long) i * Q6_K.TYPE_SIZE;
      scalesQ6_K8(w, b, sc, 0);
      for (int h = 0; h < 2; h++) {
        IntVector qa = ((ByteVector) LOAD.invokeExact(B4, w, b + Q6_K.QL + 64 * h, ByteOrder.LITTLE_ENDIAN))
            .reinterpretAsInts();
        IntVector qb = ((ByteVector) LOAD.invokeExact(B4, w, b + Q6_K.QL + 64 * h + 32, ByteOrder.LITTLE_ENDIAN))
            .reinterpretAsInts();
        IntVector qh = ((ByteVector) LOAD.invokeExact(B4, w, b + Q6_K.QH + 32 * h, ByteOrder.LITTLE_ENDIAN))
            .reinterpretAsInts();
        int xo = Q6_K.BLOCK_SIZE * i + 128 * h;
        IntVector nib = qa;
        IntVector hb = qh.lanewise(VectorOperators.LSHL, 4);
        FloatVector r = FloatVector.fromArray(F, xs, (xo + 0) / 4).mul(minus32);
        for (int m = 0; m < 4; m++) {
          r = ((FloatVector) nib.lanewise(VectorOperators.AND, 0xF << 8 * m)
              .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 0 + 8 * m), r);
        }
        first = r.fma(FloatVector.broadcast(F, sc[8 * h + 0]), first);
        second = r.fma(FloatVector.broadcast(F, sc[8 * h + 1]), second);
        nib = qb;
        hb = qh.lanewise(VectorOperators.LSHL, 2);
        r = FloatVector.fromArray(F, xs, (xo + 32) / 4).mul(minus32);
        for (int m = 0; m < 4; m++) {
          r = ((FloatVector) nib.lanewise(VectorOperators.AND, 0xF << 8 * m)
              .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 32 + 8 * m), r);
        }
        first = r.fma(FloatVector.broadcast(F, sc[8 * h + 2]), first);
        second = r.fma(FloatVector.broadcast(F, sc[8 * h + 3]), second);
        nib = qa.lanewise(VectorOperators.LSHR, 4);
        hb = qh;
        r = FloatVector.fromArray(F, xs, (xo + 64) / 4).mul(minus32);
        for (int m = 0; m < 4; m++) {
          r = ((FloatVector) nib.lanewise(VectorOperators.AND, 0xF << 8 * m)
              .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 64 + 8 * m), r);
        }
        first = r.fma(FloatVector.broadcast(F, sc[8 * h + 4]), first);
        second = r.fma(FloatVector.broadcast(F, sc[8 * h + 5]), second);
        nib = qb.lanewise(VectorOperators.LSHR, 4);
        hb = qh.lanewise(VectorOperators.LSHR, 2);
        r = FloatVector.fromArray(F, xs, (xo + 96) / 4).mul(minus32);
        for (int m = 0; m < 4; m++) {
          r = ((FloatVector) nib.lanewise(VectorOperators.AND, 0xF << 8 * m)
              .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m))
              .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 96 + 8 * m), r);
        }
        first = r.fma(FloatVector.broadcast(F, sc[8 * h + 6]), first);
        second = r.fma(FloatVector.broadcast(F, sc[8 * h + 7]), second);
      }
    }
    return first.mul(FloatVector.fromArray(F, FIRST_HALF, 0))
        .add(second.mul(FloatVector.fromArray(F, SECOND_HALF, 0))).reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@code xs[at + L j + k]} = the sum of the four weights' x that byte lane k of int run j meets
   * ({@link #permuteBytes}'s order, unscaled): Q6_K's offset of 32 is taken out of each run's sum
   * per lane, before the scales, so the lanes hold signed sums (taken out at the end, the offset's
   * sum cancelled most of the quants' and left the result to the last digits of both).
   */
  private static void laneSums(float[] x, int xOffset, int n, float[] xs, int at) {
    for (int base = 0; base < n; base += 4 * L) {
      for (int k = 0; k < L; k++) {
        int from = xOffset + base + 4 * k;
        xs[at + base / 4 + k] = x[from] + x[from + 1] + x[from + 2] + x[from + 3];
      }
    }
  }

  /** A Q6_K super-block's sixteen scales times d into {@code sc[at .. at+15]}, eight lanes at a time. */
  private static void scalesQ6_K8(Object w, long b, float[] sc, int at) throws Throwable {
    FloatVector d = FloatVector.broadcast(F, (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b + Q6_K.D)));
    ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + Q6_K.SCALES, ByteOrder.LITTLE_ENDIAN))
        .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(sc, at);
    ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + Q6_K.SCALES + 8, ByteOrder.LITTLE_ENDIAN))
        .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(d)
        .intoArray(sc, at + 8);
  }

  /**
   * {@link #scalesQ6_K8} for each of a row's {@code nb} super-blocks, super-block i's into {@code
   * sc[16 i ..]}: ahead of {@link #dot2Q6_K8}'s products, which then run as one flat loop over half
   * super-blocks. (The one-token kernel keeps its loop per super-block: flattened, C2 spilled its
   * accumulators and it ran at 0.6-0.7 times the speed, MatvecBench.)
   */
  private static void scalesQ6_K8Row(Object w, long row, int nb, float[] sc) throws Throwable {
    for (int i = 0; i < nb; i++) {
      scalesQ6_K8(w, row + (long) i * Q6_K.TYPE_SIZE, sc, 16 * i);
    }
  }

  /**
   * {@link #matvecTokens} for Q6_K with eight lanes: two tokens at a time through {@link
   * #dot2Q6_K8}, each quant masked and converted once for both.
   */
  private static void matvecTokensQ6_K8(Object w, int rowBytes, int cols, float[] x, int xOffset, int tokens,
      float[] out, int outOffset, int outStride, int r0, int r1, Scratch s) {
    int n4 = cols / 4;
    float[] xs = s.xsumWide(tokens * n4);
    float[] xp = s.xPermuted(tokens * cols);
    float[] sc = s.scales(16 * (cols / Q6_K.BLOCK_SIZE));
    for (int t = 0; t < tokens; t++) {
      laneSums(x, xOffset + t * cols, cols, xs, t * n4);
      permuteBytes(x, xOffset + t * cols, cols, xp, t * cols, BYTE_PLACE);
    }
    try {
      for (int t = 0; t < tokens; t += 2) {
        for (int r = r0; r < r1; r++) {
          dot2Q6_K8(w, (long) r * rowBytes, xp, t * cols, (t + 1) * cols, xs, t * n4, (t + 1) * n4, cols, sc,
              out, outOffset + t * outStride + r, outOffset + (t + 1) * outStride + r);
        }
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("direct product failed", e);
    }
  }

  /**
   * {@link #dotQ6_K8} of one row with two vectors (x from {@link #permuteBytes} at {@code xp[x0
   * ..]} and {@code xp[x1 ..]}, sums per sixteen at {@code xsum16[m0 ..]} and {@code xsum16[m1
   * ..]}): each quant masked and converted once for both, each token's sums with exactly the
   * operations of {@link #dotQ6_K8}, so a token's result does not depend on the token it is
   * paired with.
   */
  private static void dot2Q6_K8(Object w, long row, float[] xp, int x0, int x1, float[] xs, int m0, int m1,
      int n, float[] sc, float[] out, int o0, int o1) throws Throwable {
    int nb = n / Q6_K.BLOCK_SIZE;
    FloatVector firstA = FloatVector.zero(F);
    FloatVector secondA = FloatVector.zero(F);
    FloatVector firstB = FloatVector.zero(F);
    FloatVector secondB = FloatVector.zero(F);
    FloatVector minus32 = FloatVector.broadcast(F, -32f);
    scalesQ6_K8Row(w, row, nb, sc);
    for (int k = 0; k < 2 * nb; k++) {
      int h = k & 1;
      long b = row + (long) (k >> 1) * Q6_K.TYPE_SIZE;
      IntVector qa = ((ByteVector) LOAD.invokeExact(B4, w, b + Q6_K.QL + 64 * h, ByteOrder.LITTLE_ENDIAN))
          .reinterpretAsInts();
      IntVector qb = ((ByteVector) LOAD.invokeExact(B4, w, b + Q6_K.QL + 64 * h + 32, ByteOrder.LITTLE_ENDIAN))
          .reinterpretAsInts();
      IntVector qh = ((ByteVector) LOAD.invokeExact(B4, w, b + Q6_K.QH + 32 * h, ByteOrder.LITTLE_ENDIAN))
          .reinterpretAsInts();
      int xo = 128 * k;
      IntVector nib = qa;
      IntVector hb = qh.lanewise(VectorOperators.LSHL, 4);
      FloatVector ra = FloatVector.fromArray(F, xs, m0 + (xo + 0) / 4).mul(minus32);
      FloatVector rb = FloatVector.fromArray(F, xs, m1 + (xo + 0) / 4).mul(minus32);
      for (int m = 0; m < 4; m++) {
        FloatVector f = (FloatVector) nib.lanewise(VectorOperators.AND, 0xF << 8 * m)
            .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m)).convertShape(VectorOperators.I2F, F, 0);
        ra = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 0 + 8 * m), ra);
        rb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 0 + 8 * m), rb);
      }
      FloatVector v0 = FloatVector.broadcast(F, sc[8 * k + 0]);
      FloatVector v1 = FloatVector.broadcast(F, sc[8 * k + 1]);
      firstA = ra.fma(v0, firstA);
      secondA = ra.fma(v1, secondA);
      firstB = rb.fma(v0, firstB);
      secondB = rb.fma(v1, secondB);
      nib = qb;
      hb = qh.lanewise(VectorOperators.LSHL, 2);
      ra = FloatVector.fromArray(F, xs, m0 + (xo + 32) / 4).mul(minus32);
      rb = FloatVector.fromArray(F, xs, m1 + (xo + 32) / 4).mul(minus32);
      for (int m = 0; m < 4; m++) {
        FloatVector f = (FloatVector) nib.lanewise(VectorOperators.AND, 0xF << 8 * m)
            .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m)).convertShape(VectorOperators.I2F, F, 0);
        ra = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 32 + 8 * m), ra);
        rb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 32 + 8 * m), rb);
      }
      v0 = FloatVector.broadcast(F, sc[8 * k + 2]);
      v1 = FloatVector.broadcast(F, sc[8 * k + 3]);
      firstA = ra.fma(v0, firstA);
      secondA = ra.fma(v1, secondA);
      firstB = rb.fma(v0, firstB);
      secondB = rb.fma(v1, secondB);
      nib = qa.lanewise(VectorOperators.LSHR, 4);
      hb = qh;
      ra = FloatVector.fromArray(F, xs, m0 + (xo + 64) / 4).mul(minus32);
      rb = FloatVector.fromArray(F, xs, m1 + (xo + 64) / 4).mul(minus32);
      for (int m = 0; m < 4; m++) {
        FloatVector f = (FloatVector) nib.lanewise(VectorOperators.AND, 0xF << 8 * m)
            .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m)).convertShape(VectorOperators.I2F, F, 0);
        ra = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 64 + 8 * m), ra);
        rb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 64 + 8 * m), rb);
      }
      v0 = FloatVector.broadcast(F, sc[8 * k + 4]);
      v1 = FloatVector.broadcast(F, sc[8 * k + 5]);
      firstA = ra.fma(v0, firstA);
      secondA = ra.fma(v1, secondA);
      firstB = rb.fma(v0, firstB);
      secondB = rb.fma(v1, secondB);
      nib = qb.lanewise(VectorOperators.LSHR, 4);
      hb = qh.lanewise(VectorOperators.LSHR, 2);
      ra = FloatVector.fromArray(F, xs, m0 + (xo + 96) / 4).mul(minus32);
      rb = FloatVector.fromArray(F, xs, m1 + (xo + 96) / 4).mul(minus32);
      for (int m = 0; m < 4; m++) {
        FloatVector f = (FloatVector) nib.lanewise(VectorOperators.AND, 0xF << 8 * m)
            .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m)).convertShape(VectorOperators.I2F, F, 0);
        ra = f.fma(FloatVector.fromArray(F, xp, x0 + xo + 96 + 8 * m), ra);
        rb = f.fma(FloatVector.fromArray(F, xp, x1 + xo + 96 + 8 * m), rb);
      }
      v0 = FloatVector.broadcast(F, sc[8 * k + 6]);
      v1 = FloatVector.broadcast(F, sc[8 * k + 7]);
      firstA = ra.fma(v0, firstA);
      secondA = ra.fma(v1, secondA);
      firstB = rb.fma(v0, firstB);
      secondB = rb.fma(v1, secondB);
    }
    FloatVector lanes0 = FloatVector.fromArray(F, FIRST_HALF, 0);
    FloatVector lanes1 = FloatVector.fromArray(F, SECOND_HALF, 0);
    out[o0] = firstA.mul(lanes0).add(secondA.mul(lanes1)).reduceLanes(VectorOperators.ADD);
    out[o1] = firstB.mul(lanes0).add(secondB.mul(lanes1)).reduceLanes(VectorOperators.ADD);
  }

  /**
   * The sums of x per sixteen in the order {@link #dotQ6_K4} decodes a super-block's scales: its
   * sixteen sums as a 4 × 4 block, transposed ({@code xs[16 i + 4 m + k] = xsum16[16 i + 4 k + m]}).
   */
  private static void transposeSums16(float[] xsum16, int n, float[] xs) {
    for (int i = 0; i < n; i += 16) {
      for (int m = 0; m < 4; m++) {
        for (int k = 0; k < 4; k++) {
          xs[i + 4 * m + k] = xsum16[i + 4 * k + m];
        }
      }
    }
  }

  /**
   * {@link #dotQ6_K8} with four lanes (NEON's width, or {@code -XX:MaxVectorSize=16}): the same
   * masking in place on 16-byte loads, each of which lies inside one sub-block, so a run's sum
   * takes one scale. The sixteen scales are read as four ints and sign-extended byte by byte, so
   * vector m holds scales {@code m, 4 + m, 8 + m, 12 + m}: they are stored in that order, and the
   * sums of x per sixteen come in the same order ({@code xs}).
   */
  private static float dotQ6_K4(Object w, long row, float[] xp, float[] xs, int n, float[] sc) throws Throwable {
    int nb = n / Q6_K.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector offset = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      long b = row + (long) i * Q6_K.TYPE_SIZE;
      FloatVector d = FloatVector.broadcast(F, (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b + Q6_K.D)));
      IntVector packed = ((ByteVector) LOAD.invokeExact(B4, w, b + Q6_K.SCALES, ByteOrder.LITTLE_ENDIAN))
          .reinterpretAsInts();
      for (int m = 0; m < 4; m++) {
        FloatVector scales = ((FloatVector) packed.lanewise(VectorOperators.LSHL, 24 - 8 * m)
            .lanewise(VectorOperators.ASHR, 24).convertShape(VectorOperators.I2F, F, 0)).mul(d);
        scales.intoArray(sc, 4 * m);
        offset = scales.fma(FloatVector.fromArray(F, xs, 16 * i + 4 * m), offset);
      }
      for (int h = 0; h < 2; h++) {
        for (int u = 0; u < 2; u++) {
          IntVector qa = ((ByteVector) LOAD.invokeExact(B4, w, b + Q6_K.QL + 64 * h + 16 * u, ByteOrder.LITTLE_ENDIAN))
              .reinterpretAsInts();
          IntVector qb = ((ByteVector) LOAD.invokeExact(B4, w, b + Q6_K.QL + 64 * h + 32 + 16 * u,
              ByteOrder.LITTLE_ENDIAN)).reinterpretAsInts();
          IntVector qh = ((ByteVector) LOAD.invokeExact(B4, w, b + Q6_K.QH + 32 * h + 16 * u, ByteOrder.LITTLE_ENDIAN))
              .reinterpretAsInts();
          int xo = Q6_K.BLOCK_SIZE * i + 128 * h + 16 * u;
          int j = 8 * h + u;
          FloatVector r = FloatVector.zero(F);
          IntVector hb = qh.lanewise(VectorOperators.LSHL, 4);
          for (int m = 0; m < 4; m++) {
            r = ((FloatVector) qa.lanewise(VectorOperators.AND, 0xF << 8 * m)
                .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m))
                .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 4 * m), r);
          }
          a0 = r.fma(FloatVector.broadcast(F, sc[4 * (j & 3) + (j >> 2)]), a0);
          r = FloatVector.zero(F);
          hb = qh.lanewise(VectorOperators.LSHL, 2);
          for (int m = 0; m < 4; m++) {
            r = ((FloatVector) qb.lanewise(VectorOperators.AND, 0xF << 8 * m)
                .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m))
                .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 32 + 4 * m), r);
          }
          a1 = r.fma(FloatVector.broadcast(F, sc[4 * ((j + 2) & 3) + ((j + 2) >> 2)]), a1);
          r = FloatVector.zero(F);
          IntVector nib = qa.lanewise(VectorOperators.LSHR, 4);
          for (int m = 0; m < 4; m++) {
            r = ((FloatVector) nib.lanewise(VectorOperators.AND, 0xF << 8 * m)
                .or(qh.lanewise(VectorOperators.AND, 0x30 << 8 * m))
                .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 64 + 4 * m), r);
          }
          a0 = r.fma(FloatVector.broadcast(F, sc[4 * ((j + 4) & 3) + ((j + 4) >> 2)]), a0);
          r = FloatVector.zero(F);
          nib = qb.lanewise(VectorOperators.LSHR, 4);
          hb = qh.lanewise(VectorOperators.LSHR, 2);
          for (int m = 0; m < 4; m++) {
            r = ((FloatVector) nib.lanewise(VectorOperators.AND, 0xF << 8 * m)
                .or(hb.lanewise(VectorOperators.AND, 0x30 << 8 * m))
                .convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xp, xo + 96 + 4 * m), r);
          }
          a1 = r.fma(FloatVector.broadcast(F, sc[4 * ((j + 6) & 3) + ((j + 6) >> 2)]), a1);
        }
      }
    }
    return a0.add(a1).reduceLanes(VectorOperators.ADD) - 32 * offset.reduceLanes(VectorOperators.ADD);
  }

  /**
   * One Q6_K row: per super-block its sixteen scales times d (parked in {@code sc};
   * the offset's share accumulates in {@code c}), then its quants, as {@link
   * VectorKernels#scalesQ6_K} and {@link VectorKernels#dot1Q6_K} compute them, in the same order.
   */
  private static float dotQ6_K(Object w, long row, float[] x, int xOffset, float[] xsum16, int nb,
      float[] sc) throws Throwable {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    FloatVector c = FloatVector.zero(F);
    for (int i = 0; i < nb; i++) {
      long b = row + (long) i * Q6_K.TYPE_SIZE;
      float d = (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b + Q6_K.D));
      for (int j = 0; j < 16; j += L) {
        FloatVector scales = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w,
                b + Q6_K.SCALES + j, ByteOrder.LITTLE_ENDIAN)).convertShape(VectorOperators.B2I, I, 0))
            .convertShape(VectorOperators.I2F, F, 0)).mul(d);
        scales.intoArray(sc, j);
        c = scales.fma(FloatVector.fromArray(F, xsum16, i * 16 + j), c);
      }
      for (int h = 0; h < 2; h++) {
        long ql = b + Q6_K.QL + 64 * h;
        long qh = b + Q6_K.QH + 32 * h;
        int xi = xOffset + i * Q6_K.BLOCK_SIZE + 128 * h;
        int si = 8 * h;
        for (int l = 0; l < 32; l += L) {
          IntVector lo = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, ql + l, ByteOrder.LITTLE_ENDIAN))
              .convertShape(UB2I, I, 0));
          IntVector hi = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, ql + 32 + l, ByteOrder.LITTLE_ENDIAN))
              .convertShape(UB2I, I, 0));
          IntVector hb = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, qh + l, ByteOrder.LITTLE_ENDIAN))
              .convertShape(VectorOperators.B2I, I, 0));
          int s = si + l / 16;
          IntVector q0 = lo.lanewise(VectorOperators.AND, 0xF)
              .or(hb.lanewise(VectorOperators.AND, 3).lanewise(VectorOperators.LSHL, 4));
          IntVector q1 = hi.lanewise(VectorOperators.AND, 0xF)
              .or(hb.lanewise(VectorOperators.AND, 0xC).lanewise(VectorOperators.LSHL, 2));
          IntVector q2 = lo.lanewise(VectorOperators.LSHR, 4)
              .or(hb.lanewise(VectorOperators.AND, 0x30));
          IntVector q3 = hi.lanewise(VectorOperators.LSHR, 4)
              .or(hb.lanewise(VectorOperators.ASHR, 2).lanewise(VectorOperators.AND, 0x30));
          a0 = ((FloatVector) q0.convertShape(VectorOperators.I2F, F, 0)).mul(sc[s])
              .fma(FloatVector.fromArray(F, x, xi + l), a0);
          a1 = ((FloatVector) q1.convertShape(VectorOperators.I2F, F, 0)).mul(sc[s + 2])
              .fma(FloatVector.fromArray(F, x, xi + 32 + l), a1);
          a2 = ((FloatVector) q2.convertShape(VectorOperators.I2F, F, 0)).mul(sc[s + 4])
              .fma(FloatVector.fromArray(F, x, xi + 64 + l), a2);
          a3 = ((FloatVector) q3.convertShape(VectorOperators.I2F, F, 0)).mul(sc[s + 6])
              .fma(FloatVector.fromArray(F, x, xi + 96 + l), a3);
        }
      }
    }
    return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD) - 32 * c.reduceLanes(VectorOperators.ADD);
  }

  /**
   * One Q8_0 row, four blocks per step, block {@code i} into {@code a(i mod 4)}; sixteen lanes
   * (four and eight take {@link #dotQ8_08}).
   */
  private static float dotQ8_0x16(Object w, long offset, float[] x, int xOffset, int n) throws Throwable {
    int nb = n / Q8_0.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    int i = 0;
    for (; i + 4 <= nb; i += 4) {
      long b0 = offset + (long) i * Q8_0.TYPE_SIZE;
      long b1 = b0 + Q8_0.TYPE_SIZE;
      long b2 = b1 + Q8_0.TYPE_SIZE;
      long b3 = b2 + Q8_0.TYPE_SIZE;
      int xb = xOffset + i * Q8_0.BLOCK_SIZE;
      FloatVector s0 = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b0 + 2, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
          .mul(FloatVector.fromArray(F, x, xb));
      FloatVector s1 = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b1 + 2, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
          .mul(FloatVector.fromArray(F, x, xb + 32));
      FloatVector s2 = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b2 + 2, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
          .mul(FloatVector.fromArray(F, x, xb + 64));
      FloatVector s3 = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b3 + 2, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
          .mul(FloatVector.fromArray(F, x, xb + 96));
      s0 = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b0 + 18, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, x, xb + 16), s0);
      s1 = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b1 + 18, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, x, xb + 48), s1);
      s2 = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b2 + 18, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, x, xb + 80), s2);
      s3 = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b3 + 18, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, x, xb + 112), s3);
      a0 = s0.fma(FloatVector.broadcast(F, (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b0))), a0);
      a1 = s1.fma(FloatVector.broadcast(F, (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b1))), a1);
      a2 = s2.fma(FloatVector.broadcast(F, (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b2))), a2);
      a3 = s3.fma(FloatVector.broadcast(F, (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b3))), a3);
    }
    for (; i < nb; i++) {
      long b0 = offset + (long) i * Q8_0.TYPE_SIZE;
      int xb = xOffset + i * Q8_0.BLOCK_SIZE;
      FloatVector s0 = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b0 + 2, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
          .mul(FloatVector.fromArray(F, x, xb));
      s0 = ((FloatVector) ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b0 + 18, ByteOrder.LITTLE_ENDIAN))
          .convertShape(VectorOperators.B2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
          .fma(FloatVector.fromArray(F, x, xb + 16), s0);
      a0 = s0.fma(FloatVector.broadcast(F, (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b0))), a0);
    }
    return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
  }

  private static final float[] BYTE_PLACE_Q8 = {1f, 0x1p-8f, 0x1p-16f, 1f};

  /**
   * One Q8_0 row with eight lanes (AVX2) or four (NEON, two loads per block): a block's 32 quants
   * read as eight ints and, made unsigned by flipping their sign bits ({@code s + 128}), masked in
   * place per byte (the top byte shifted down) and converted: one load, an xor, and per eight
   * weights a mask, a conversion and an FMA, where widening eight bytes at a time took a load and
   * a shuffle per eight. The 128 is paid back per block through the sums of x. MatvecBench (AVX2 EPYC, 5632 x 2048
   * streamed): 7.5-8.3 to 7.8-9.4 GB/s on one thread, 10 to 15-17.6 on two.
   */
  private static float dotQ8_08(Object w, long offset, float[] xp, float[] xsum, int n) throws Throwable {
    int nb = n / Q8_0.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    float c = 0f;
    for (int i = 0; i < nb; i++) {
      long b = offset + (long) i * Q8_0.TYPE_SIZE;
      FloatVector s = FloatVector.zero(F);
      FloatVector t = FloatVector.zero(F);
      for (int u = 0; u < Q8_0.BLOCK_SIZE; u += 4 * L) {
        IntVector q = ((ByteVector) LOAD.invokeExact(B4, w, b + 2 + u, ByteOrder.LITTLE_ENDIAN)).reinterpretAsInts()
            .lanewise(VectorOperators.XOR, 0x80808080);
        int xo = Q8_0.BLOCK_SIZE * i + u;
        s = ((FloatVector) q.lanewise(VectorOperators.AND, 0xFF).convertShape(VectorOperators.I2F, F, 0))
            .fma(FloatVector.fromArray(F, xp, xo), s);
        t = ((FloatVector) q.lanewise(VectorOperators.AND, 0xFF00).convertShape(VectorOperators.I2F, F, 0))
            .fma(FloatVector.fromArray(F, xp, xo + L), t);
        s = ((FloatVector) q.lanewise(VectorOperators.AND, 0xFF0000).convertShape(VectorOperators.I2F, F, 0))
            .fma(FloatVector.fromArray(F, xp, xo + 2 * L), s);
        t = ((FloatVector) q.lanewise(VectorOperators.LSHR, 24).convertShape(VectorOperators.I2F, F, 0))
            .fma(FloatVector.fromArray(F, xp, xo + 3 * L), t);
      }
      float d = (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b));
      FloatVector dv = FloatVector.broadcast(F, d);
      a0 = s.fma(dv, a0);
      a1 = t.fma(dv, a1);
      c += d * xsum[i];
    }
    return a0.add(a1).reduceLanes(VectorOperators.ADD) - 128 * c;
  }
}
