package dev.banter.local.model;

import dev.banter.api.JvmOnly;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The model-level loops that matter for speed, on the incubator Vector API: attention over the KV
 * cache and SwiGLU. Each computes what its plain-Java twin computes ({@link Attention#attend},
 * {@link Ops#swiglu}) with the same structure, rounding differently only where lanes sum in another
 * order or the vector exponential differs from {@link Math#exp} in the last bit. Loaded only when
 * {@link dev.banter.local.tensor.WeightMatrix#vectorized()} says the vector kernels run.
 */
@JvmOnly
final class VectorOps {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  private VectorOps() {}

  /** {@link Attention#attend} on the vector unit. */
  static void attend(float[] q, int qOffset, int count, int headDim, float[] keys, float[] values, int kvOffset,
      int kvDim, int len, float kqScale, float cap, float capScale, float[] scores, float[] out, int outOffset) {
    int bound = F.loopBound(headDim);
    for (int c = 0; c < count; c++) {
      int qo = qOffset + c * headDim;
      int so = c * len;
      for (int j = 0; j < len; j++) {
        int ko = j * kvDim + kvOffset;
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += L) {
          acc = FloatVector.fromArray(F, q, qo + i).fma(FloatVector.fromArray(F, keys, ko + i), acc);
        }
        float d = acc.reduceLanes(VectorOperators.ADD);
        for (; i < headDim; i++) {
          d += q[qo + i] * keys[ko + i];
        }
        scores[so + j] = cap > 0 ? (float) Math.tanh(d * capScale) * cap : d * kqScale;
      }
      float inv = expShifted(scores, so, len);
      weightedValues(scores, so, len, values, kvOffset, kvDim, headDim, inv, out, outOffset + c * headDim);
    }
  }

  /**
   * Replaces {@code x[offset .. offset + n)} by {@code exp(x - max)} and returns the reciprocal of
   * their sum: the softmax, still to be scaled.
   */
  private static float expShifted(float[] x, int offset, int n) {
    int bound = F.loopBound(n);
    FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    int j = 0;
    for (; j < bound; j += L) {
      vmax = vmax.max(FloatVector.fromArray(F, x, offset + j));
    }
    float max = vmax.reduceLanes(VectorOperators.MAX);
    for (; j < n; j++) {
      max = Math.max(max, x[offset + j]);
    }
    FloatVector vsum = FloatVector.zero(F);
    j = 0;
    for (; j < bound; j += L) {
      FloatVector e = exp(FloatVector.fromArray(F, x, offset + j).sub(max));
      e.intoArray(x, offset + j);
      vsum = vsum.add(e);
    }
    double sum = vsum.reduceLanes(VectorOperators.ADD);
    for (; j < n; j++) {
      float e = (float) Math.exp(x[offset + j] - max);
      x[offset + j] = e;
      sum += e;
    }
    return (float) (1.0 / sum);
  }

  /**
   * {@code out[i] = scale · Σ_j w[j] · values[j · kvDim + kvOffset + i]} for {@code i < headDim}:
   * four vectors of the head at a time held in registers over all positions.
   */
  private static void weightedValues(float[] w, int wo, int len, float[] values, int kvOffset, int kvDim, int headDim,
      float scale, float[] out, int oo) {
    int bound = F.loopBound(headDim);
    int i = 0;
    for (; i + 4 * L <= bound; i += 4 * L) {
      FloatVector a0 = FloatVector.zero(F);
      FloatVector a1 = FloatVector.zero(F);
      FloatVector a2 = FloatVector.zero(F);
      FloatVector a3 = FloatVector.zero(F);
      for (int j = 0; j < len; j++) {
        FloatVector p = FloatVector.broadcast(F, w[wo + j]);
        int vo = j * kvDim + kvOffset + i;
        a0 = FloatVector.fromArray(F, values, vo).fma(p, a0);
        a1 = FloatVector.fromArray(F, values, vo + L).fma(p, a1);
        a2 = FloatVector.fromArray(F, values, vo + 2 * L).fma(p, a2);
        a3 = FloatVector.fromArray(F, values, vo + 3 * L).fma(p, a3);
      }
      a0.mul(scale).intoArray(out, oo + i);
      a1.mul(scale).intoArray(out, oo + i + L);
      a2.mul(scale).intoArray(out, oo + i + 2 * L);
      a3.mul(scale).intoArray(out, oo + i + 3 * L);
    }
    for (; i < bound; i += L) {
      FloatVector a0 = FloatVector.zero(F);
      for (int j = 0; j < len; j++) {
        a0 = FloatVector.fromArray(F, values, j * kvDim + kvOffset + i).fma(FloatVector.broadcast(F, w[wo + j]), a0);
      }
      a0.mul(scale).intoArray(out, oo + i);
    }
    for (; i < headDim; i++) {
      float s = 0;
      for (int j = 0; j < len; j++) {
        s += w[wo + j] * values[j * kvDim + kvOffset + i];
      }
      out[oo + i] = s * scale;
    }
  }

  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  /** 1.5 · 2^23: adding it rounds a float of magnitude below 2^22 to an integer, held in the low mantissa bits. */
  private static final float ROUNDER = 12582912f;
  private static final int ROUNDER_BITS = 0x4B400000;

  /**
   * {@code e^x} per lane within about one ulp, for {@code x} in [-87, 88] (beyond, the result is
   * that of the nearest bound): {@code x = n·ln 2 + r} with {@code |r| <= ln 2 / 2}, a degree-6
   * polynomial for {@code e^r} (Cephes' {@code expf} coefficients), scaled by {@code 2^n} through
   * the exponent bits. Built from additions, multiplications and fused multiply-adds only, so it
   * gives the same bits compiled or interpreted; the Vector API's own {@code EXP} does not (its
   * intrinsic and its fallback round differently), and a token's logits must not depend on
   * whether the JIT compiled the loop yet.
   */
  static FloatVector exp(FloatVector x) {
    FloatVector c = x.max(-87.0f).min(88.0f);
    FloatVector t = c.fma(LOG2E, ROUNDER);
    FloatVector n = t.sub(ROUNDER);
    FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), c);
    r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
    FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
    p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
    p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
    p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
    p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
    FloatVector y = p.fma(r.mul(r), r).add(1.0f);
    IntVector bits = t.reinterpretAsInts().sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23);
    return y.mul(bits.reinterpretAsFloats());
  }

  /** {@link Ops#swiglu} on the vector unit. */
  static void swiglu(float[] gate, float[] up, int offset, int n) {
    int bound = F.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector g = FloatVector.fromArray(F, gate, offset + i);
      FloatVector e = exp(g.neg());
      g.div(e.add(1.0f)).mul(FloatVector.fromArray(F, up, offset + i)).intoArray(gate, offset + i);
    }
    Ops.swiglu(gate, up, offset + i, n - i);
  }
}
