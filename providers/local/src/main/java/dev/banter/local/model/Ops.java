package dev.banter.local.model;

import dev.banter.local.tensor.F16;
import dev.banter.local.tensor.WeightMatrix;

/**
 * The element-wise operations of the graphs, each computed the way ggml's CPU backend computes
 * it (sums in double where ggml accumulates in {@code ggml_float}, the same order of float
 * operations), so that F32 models give llama.cpp's logits to float rounding.
 */
final class Ops {
  private static final float GELU_COEF_A = 0.044715f;
  private static final float SQRT_2_OVER_PI = 0.79788456080286535587989211986876f;

  private static final boolean VECTOR = WeightMatrix.vectorized();

  private Ops() {}

  /**
   * RMS norm of {@code n} rows of {@code dim} values starting at {@code x[xOffset]}, times
   * {@code weight}: {@code out = x · (mean(x²) + eps)^-1/2 · weight}, written from
   * {@code out[outOffset]}. {@code out} may be {@code x} at the same offset.
   */
  static void rmsNorm(float[] x, int xOffset, float[] out, int outOffset, float[] weight, int dim, int n,
      float eps) {
    for (int t = 0; t < n; t++) {
      int xo = xOffset + t * dim;
      int oo = outOffset + t * dim;
      double sum = 0;
      for (int i = 0; i < dim; i++) {
        float v = x[xo + i];
        sum += v * v;
      }
      float mean = (float) (sum / dim);
      float scale = 1.0f / (float) Math.sqrt(mean + eps);
      for (int i = 0; i < dim; i++) {
        out[oo + i] = (x[xo + i] * scale) * weight[i];
      }
    }
  }

  /** {@code x[i] += y[i]} for {@code i < n}. */
  static void add(float[] x, float[] y, int n) {
    for (int i = 0; i < n; i++) {
      x[i] += y[i];
    }
  }

  /** Adds {@code bias} to each of {@code n} rows of {@code bias.length} values. */
  static void addBias(float[] x, float[] bias, int n) {
    int d = bias.length;
    for (int t = 0; t < n; t++) {
      int o = t * d;
      for (int i = 0; i < d; i++) {
        x[o + i] += bias[i];
      }
    }
  }

  /** {@code x[i] *= s} for {@code i < n}. */
  static void scale(float[] x, int offset, int n, float s) {
    for (int i = offset; i < offset + n; i++) {
      x[i] *= s;
    }
  }

  /** {@code cap · tanh(x / cap)} over {@code x[offset .. offset + n)}. */
  static void softcap(float[] x, int offset, int n, float cap) {
    float inv = 1.0f / cap;
    for (int i = offset; i < offset + n; i++) {
      x[i] = (float) Math.tanh(x[i] * inv) * cap;
    }
  }

  /** Softmax in place over {@code x[offset .. offset + n)}: exponentials in float, their sum in double. */
  static void softmax(float[] x, int offset, int n) {
    softmax(x, offset, n, Float.NEGATIVE_INFINITY);
  }

  /**
   * Softmax in place over {@code x[offset .. offset + n)} and one more logit {@code sink} that
   * takes its share of the probability but is not stored (gpt-oss's attention sinks; negative
   * infinity for none).
   */
  static void softmax(float[] x, int offset, int n, float sink) {
    float max = sink;
    for (int i = offset; i < offset + n; i++) {
      if (x[i] > max) {
        max = x[i];
      }
    }
    double sum = sink == Float.NEGATIVE_INFINITY ? 0 : (float) Math.exp(sink - max);
    for (int i = offset; i < offset + n; i++) {
      float e = (float) Math.exp(x[i] - max);
      x[i] = e;
      sum += e;
    }
    float inv = (float) (1.0 / sum);
    for (int i = offset; i < offset + n; i++) {
      x[i] *= inv;
    }
  }

  /** SwiGLU: {@code gate[i] = silu(gate[i]) · up[i]} for {@code offset <= i < offset + n}. */
  static void swiglu(float[] gate, float[] up, int offset, int n) {
    for (int i = offset; i < offset + n; i++) {
      float g = gate[i];
      gate[i] = g / (1.0f + (float) Math.exp(-g)) * up[i];
    }
  }

  /**
   * SwiGLU over {@code n} rows of {@code width}, row by row (so that a row's result does not
   * depend on how many rows the pass has), on the vector unit when the kernels use one.
   */
  static void swigluRows(float[] gate, float[] up, int n, int width) {
    for (int t = 0; t < n; t++) {
      if (VECTOR) {
        VectorOps.swiglu(gate, up, t * width, width);
      } else {
        swiglu(gate, up, t * width, width);
      }
    }
  }

  /** GEGLU: {@code gate[i] = gelu(gate[i]) · up[i]} for {@code i < n}, GELU as ggml's table gives it. */
  static void geglu(float[] gate, float[] up, int n) {
    for (int i = 0; i < n; i++) {
      gate[i] = gelu(gate[i]) * up[i];
    }
  }

  /**
   * ggml's GELU on float32: the tanh approximation evaluated at the input rounded to half
   * precision, the result rounded to half precision (a 64 Ki-entry table); the identity above 10
   * and zero below -10.
   */
  static float gelu(float x) {
    if (x <= -10.0f) {
      return 0.0f;
    }
    if (x >= 10.0f) {
      return x;
    }
    return GeluTable.TABLE[F16.fromFloat(x) & 0xFFFF];
  }

  /** The tanh-approximated GELU in float, as ggml's {@code ggml_gelu_f32}. */
  static float geluExact(float x) {
    return 0.5f * x * (1.0f + (float) Math.tanh(SQRT_2_OVER_PI * x * (1.0f + GELU_COEF_A * x * x)));
  }

  /** Built on first use of {@link #gelu(float)}. */
  private static final class GeluTable {
    static final float[] TABLE = build();

    private static float[] build() {
      float[] t = new float[1 << 16];
      for (int i = 0; i < t.length; i++) {
        float x = F16.toFloat((short) i);
        t[i] = F16.toFloat(F16.fromFloat(geluExact(x)));
      }
      return t;
    }
  }
}
