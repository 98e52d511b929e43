package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * Float rows to the formats the engine can write: F16, BF16, Q8_0, Q4_0, Q4_K and Q6_K, each by
 * its own class's {@code quantizeRow}. For tools that produce models (the bench-1b generator, the
 * benchmarks); stateless and thread-safe.
 *
 * <pre>{@code
 * ByteBuffer dst = ByteBuffer.allocate((int) GgmlType.Q4_K.byteSize(2048)).order(ByteOrder.LITTLE_ENDIAN);
 * Quantizer.quantizeRow(GgmlType.Q4_K, row, 0, dst, 0, 2048);
 * }</pre>
 */
public final class Quantizer {
  private Quantizer() {}

  /** Whether {@link #quantizeRow} writes {@code type}. */
  public static boolean supports(GgmlType type) {
    return switch (type) {
      case F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K -> true;
      default -> false;
    };
  }

  /**
   * Writes {@code n} floats of {@code src} from {@code srcOffset} as {@code type} at byte {@code
   * offset} of {@code dst} (little-endian); {@code n} must be a whole number of the type's blocks.
   *
   * @throws IllegalArgumentException if the type is not one {@link #supports} names
   */
  public static void quantizeRow(GgmlType type, float[] src, int srcOffset, ByteBuffer dst, int offset, int n) {
    switch (type) {
      case F16 -> F16.quantizeRow(src, srcOffset, dst, offset, n);
      case BF16 -> BF16.quantizeRow(src, srcOffset, dst, offset, n);
      case Q8_0 -> Q8_0.quantizeRow(src, srcOffset, dst, offset, n);
      case Q4_0 -> Q4_0.quantizeRow(src, srcOffset, dst, offset, n);
      case Q4_K -> Q4_K.quantizeRow(src, srcOffset, dst, offset, n);
      case Q6_K -> Q6_K.quantizeRow(src, srcOffset, dst, offset, n);
      default -> throw new IllegalArgumentException("no quantizer for " + type
          + "; Banter writes F16, BF16, Q8_0, Q4_0, Q4_K and Q6_K");
    }
  }
}
