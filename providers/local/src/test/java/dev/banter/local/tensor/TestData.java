package dev.banter.local.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Random but well-formed weight rows of every computable type, and float helpers. */
final class TestData {
  static final GgmlType[] TYPES = {
    GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
    GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
    GgmlType.IQ4_NL, GgmlType.MXFP4,
    GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.IQ4_XS
  };

  private TestData() {}

  static ByteBuffer le(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** {@code rows × cols} weights of {@code type}: random quants, scales of sane magnitude. */
  static ByteBuffer randomRows(GgmlType type, int rows, int cols, Random rnd) {
    int rowBytes = (int) type.byteSize(cols);
    ByteBuffer b = le(rows * rowBytes);
    byte[] noise = new byte[b.capacity()];
    rnd.nextBytes(noise);
    b.put(noise).flip();
    int blocks = rows * cols / type.blockSize();
    for (int i = 0; i < blocks; i++) {
      int o = i * type.typeSize();
      switch (type) {
        case F32:
          b.putFloat(o, (float) rnd.nextGaussian());
          break;
        case F16:
          b.putShort(o, F16.fromFloat((float) rnd.nextGaussian()));
          break;
        case BF16:
          b.putShort(o, BF16.fromFloat((float) rnd.nextGaussian()));
          break;
        case Q8_0:
        case Q4_0:
          b.putShort(o, F16.fromFloat((rnd.nextFloat() - 0.5f) * 0.04f));
          break;
        case Q4_K:
        case Q5_K:
          b.putShort(o, F16.fromFloat(rnd.nextFloat() * 0.01f));
          b.putShort(o + 2, F16.fromFloat(rnd.nextFloat() * 0.01f));
          break;
        case Q5_0:
          b.putShort(o, F16.fromFloat((rnd.nextFloat() - 0.5f) * 0.02f));
          break;
        case Q4_1:
        case Q5_1:
          b.putShort(o, F16.fromFloat(rnd.nextFloat() * 0.004f));
          b.putShort(o + 2, F16.fromFloat((rnd.nextFloat() - 0.5f) * 0.06f));
          break;
        case IQ4_NL:
          b.putShort(o, F16.fromFloat((rnd.nextFloat() - 0.5f) * 0.002f));
          break;
        case MXFP4:
          b.put(o, (byte) (118 + rnd.nextInt(8)));     // scales 2^-10 .. 2^-3
          break;
        case Q6_K:
          b.putShort(o + Q6_K.D, F16.fromFloat((rnd.nextFloat() - 0.5f) * 0.004f));
          break;
        case Q2_K:
          b.putShort(o + Q2_K.D, F16.fromFloat(rnd.nextFloat() * 0.01f));
          b.putShort(o + Q2_K.DMIN, F16.fromFloat(rnd.nextFloat() * 0.01f));
          break;
        case Q3_K:
          b.putShort(o + Q3_K.D, F16.fromFloat((rnd.nextFloat() - 0.5f) * 0.004f));
          break;
        case IQ4_XS:
          b.putShort(o + IQ4_XS.D, F16.fromFloat((rnd.nextFloat() - 0.5f) * 0.0005f));
          break;
        default:
          throw new IllegalArgumentException(type.toString());
      }
    }
    return b;
  }

  static float[] gaussian(int n, Random rnd) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return x;
  }

  /** The float32 dot product computed in double, and the sum of |w x| as its scale. */
  static double[] referenceDot(float[] w, int wOffset, float[] x, int xOffset, int n) {
    double s = 0;
    double mag = 0;
    for (int j = 0; j < n; j++) {
      double p = (double) w[wOffset + j] * x[xOffset + j];
      s += p;
      mag += Math.abs(p);
    }
    return new double[] {s, mag};
  }
}
