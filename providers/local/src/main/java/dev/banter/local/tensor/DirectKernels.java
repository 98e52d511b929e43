package dev.banter.local.tensor;

import static dev.banter.local.tensor.VectorKernels.B;
import static dev.banter.local.tensor.VectorKernels.F;
import static dev.banter.local.tensor.VectorKernels.I;
import static dev.banter.local.tensor.VectorKernels.L;

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
import jdk.incubator.vector.VectorSpecies;

/**
 * Decode products that load the weights straight from the mapped file, for the JVMs that can: JDK
 * 22 and later, whose Vector API loads from a {@code java.lang.foreign.MemorySegment}. The copy
 * that {@link VectorKernels} makes first (see there) stalls the thread while the weights come
 * from memory; a load from the mapping lets the hardware prefetcher stream the next weights while
 * the current ones are multiplied. On bench-1b Q4_0 one thread then reads 13.5-14 GB/s instead of
 * 10.6, two threads 26-28 instead of 20.
 *
 * <p>Java 17 bytecode cannot name {@code MemorySegment}, so the segment is an {@code Object} and
 * the three calls that need it ({@code ByteVector.fromMemorySegment}, {@code MemorySegment.get}
 * of a short, {@code Float.float16ToFloat}) are method handles in static final fields: C2 treats
 * them as constants and inlines them like direct calls. Each kernel computes, per row, the same
 * products and sums in the same order as its counterpart in {@link VectorKernels} (the high
 * nibbles meet x itself rather than x / 16, which gives the very same products), so both paths
 * give the same results. One row per pass: the loads stream from memory whatever the row count, and
 * a four-row body with these calls exceeds what C2 inlines. {@code -Dbanter.direct=false} turns
 * this path off.
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
  /** {@code Float.float16ToFloat(short)}. */
  private static final MethodHandle HALF;
  private static final boolean AVAILABLE;

  static {
    MethodHandle ofBuffer = null;
    MethodHandle load = null;
    MethodHandle getShort = null;
    MethodHandle half = null;
    boolean available = false;
    if (!Boolean.parseBoolean(System.getProperty("banter.direct", "true"))) {
      LOG.fine("direct loads from the mapped weights disabled by -Dbanter.direct=false");
    } else if (Runtime.version().feature() < 22) {
      LOG.fine("direct loads from the mapped weights need JDK 22 or later; copying instead");
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
        half = lookup.findStatic(Float.class, "float16ToFloat", MethodType.methodType(float.class, short.class));
        available = true;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.fine("direct loads from the mapped weights unavailable (" + e + "); copying instead");
      }
    }
    OF_BUFFER = ofBuffer;
    LOAD = load;
    GET_SHORT = getShort;
    HALF = half;
    AVAILABLE = available;
  }

  private DirectKernels() {}

  /** Whether this JVM loads vectors straight from mapped weights. */
  static boolean available() {
    return AVAILABLE;
  }

  /**
   * Whether {@link #matvec} handles {@code type}: Q4_0 only so far. A single-row Q8_0 kernel
   * loading from the segment was slower than the four-row copy kernel (Q8_0 has twice the bytes
   * per weight, and one row per pass reloads x for every row); a Q4_K one, whose scales need the
   * pre-pass per row, ran at half the copy path's speed: reading only the headers (16 bytes in
   * 144) from the mapping is a pattern the prefetcher does not follow.
   */
  static boolean supports(GgmlType type) {
    return type == GgmlType.Q4_0;
  }

  /** A segment over {@code data}'s remaining bytes (no copy), or null where there is none. */
  static Object segmentOf(ByteBuffer data) {
    if (!AVAILABLE) {
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
        for (int r = r0; r < r1; r++) {
          out[outOffset + r] = dotQ4_0(w, (long) r * rowBytes, x, xOffset, xsum, cols);
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

  /** {@link VectorKernels#dot1Q4_0}, loading from the segment. */
  private static float dotQ4_0(Object w, long offset, float[] x, int xOffset, float[] xsum, int n)
      throws Throwable {
    int nb = n / Q4_0.BLOCK_SIZE;
    FloatVector a0 = FloatVector.zero(F);
    float c0 = 0f;
    for (int i = 0; i < nb; i++) {
      long b = offset + (long) i * Q4_0.TYPE_SIZE;
      FloatVector s0 = FloatVector.zero(F);
      for (int j = 0; j < 16; j += L) {
        FloatVector xl = FloatVector.fromArray(F, x, xOffset + i * Q4_0.BLOCK_SIZE + j);
        FloatVector xh = FloatVector.fromArray(F, x, xOffset + i * Q4_0.BLOCK_SIZE + 16 + j);
        IntVector q0 = ((IntVector) ((ByteVector) LOAD.invokeExact(B, w, b + 2 + j, ByteOrder.LITTLE_ENDIAN))
            .convertShape(VectorOperators.B2I, I, 0));
        s0 = ((FloatVector) q0.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.AND, 0xF)
            .convertShape(VectorOperators.I2F, F, 0)).fma(xh, ((FloatVector) q0
                .lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0))
                    .fma(xl, s0));
      }
      float d0 = (float) HALF.invokeExact((short) GET_SHORT.invokeExact(w, b));
      a0 = s0.fma(FloatVector.broadcast(F, d0), a0);
      c0 += d0 * xsum[i];
    }
    return a0.reduceLanes(VectorOperators.ADD) - 8 * c0;
  }
}
