package dev.banter.local.model;

import dev.banter.api.JvmOnly;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
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

  /** Positions per block of the weighted sum of values: a block of value rows stays in L1 for every head. */
  private static final int VALUE_BLOCK = 64;

  /**
   * {@link Attention#attend} on the vector unit, block by block over positions so that the
   * group's heads share each block of keys and values while it is in L1: scores against
   * {@code 4L} consecutive positions at a time (a key row is contiguous over positions, so no
   * lanes need summing across), then the softmax per head, then the weighted sum of values in
   * blocks of {@value #VALUE_BLOCK} positions. Every output sums its positions in order, so a
   * token's result depends only on its position.
   */
  static void attend(float[] q, int qOffset, int count, int headDim, float[] cache, int keys, int capacity,
      int values, int kvDim, int len, float kqScale, float cap, float capScale, float[] sinks, int sinkOffset,
      float[] scores, float[] out, int outOffset) {
    int j = 0;
    for (; j + 4 * L <= len; j += 4 * L) {
      int c = 0;
      for (; c + 2 <= count; c += 2) {
        scores4x2(q, qOffset + c * headDim, headDim, cache, keys + j, capacity, scores, c * len + j, len);
      }
      for (; c < count; c++) {
        int qo = qOffset + c * headDim;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        for (int d = 0; d < headDim; d++) {
          FloatVector qd = FloatVector.broadcast(F, q[qo + d]);
          int row = keys + d * capacity + j;
          a0 = FloatVector.fromArray(F, cache, row).fma(qd, a0);
          a1 = FloatVector.fromArray(F, cache, row + L).fma(qd, a1);
          a2 = FloatVector.fromArray(F, cache, row + 2 * L).fma(qd, a2);
          a3 = FloatVector.fromArray(F, cache, row + 3 * L).fma(qd, a3);
        }
        int so = c * len + j;
        a0.intoArray(scores, so);
        a1.intoArray(scores, so + L);
        a2.intoArray(scores, so + 2 * L);
        a3.intoArray(scores, so + 3 * L);
      }
    }
    for (; j < len; j += L) {
      VectorMask<Float> m = F.indexInRange(j, len);
      for (int c = 0; c < count; c++) {
        int qo = qOffset + c * headDim;
        FloatVector a0 = FloatVector.zero(F);
        for (int d = 0; d < headDim; d++) {
          a0 = FloatVector.fromArray(F, cache, keys + d * capacity + j, m).fma(FloatVector.broadcast(F, q[qo + d]),
              a0);
        }
        a0.intoArray(scores, c * len + j, m);
      }
    }
    for (int c = 0; c < count; c++) {
      int so = c * len;
      if (cap > 0) {
        for (j = 0; j < len; j++) {
          scores[so + j] = (float) Math.tanh(scores[so + j] * capScale) * cap;
        }
      } else {
        scale(scores, so, len, kqScale);
      }
      scale(scores, so, len, expShifted(scores, so, len,
          sinks == null ? Float.NEGATIVE_INFINITY : sinks[sinkOffset + c]));
    }
    for (int i = 0; i < count * headDim; i++) {
      out[outOffset + i] = 0.0f;
    }
    for (j = 0; j < len; j += VALUE_BLOCK) {
      int end = Math.min(len, j + VALUE_BLOCK);
      int c = 0;
      if (headDim == 4 * L) {
        for (; c + 2 <= count; c += 2) {
          weightedValues4x2(scores, c * len, len, j, end, cache, values, kvDim, out, outOffset + c * headDim);
        }
      }
      for (; c < count; c++) {
        weightedValues(scores, c * len, j, end, cache, values, kvDim, headDim, out, outOffset + c * headDim);
      }
    }
  }

  /**
   * The scores of two heads (queries at {@code q[qo ..]} and {@code q[qo + headDim ..]}) against
   * {@code 4L} positions whose first key row starts at {@code cache[ko]}: eight independent sums,
   * each key vector loaded once for both heads. Written at {@code scores[so ..]} and
   * {@code scores[so + len ..]}.
   */
  private static void scores4x2(float[] q, int qo, int headDim, float[] cache, int ko, int capacity, float[] scores,
      int so, int len) {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    FloatVector b0 = FloatVector.zero(F);
    FloatVector b1 = FloatVector.zero(F);
    FloatVector b2 = FloatVector.zero(F);
    FloatVector b3 = FloatVector.zero(F);
    for (int d = 0; d < headDim; d++) {
      FloatVector qa = FloatVector.broadcast(F, q[qo + d]);
      FloatVector qb = FloatVector.broadcast(F, q[qo + headDim + d]);
      int row = ko + d * capacity;
      FloatVector k0 = FloatVector.fromArray(F, cache, row);
      FloatVector k1 = FloatVector.fromArray(F, cache, row + L);
      FloatVector k2 = FloatVector.fromArray(F, cache, row + 2 * L);
      FloatVector k3 = FloatVector.fromArray(F, cache, row + 3 * L);
      a0 = k0.fma(qa, a0);
      a1 = k1.fma(qa, a1);
      a2 = k2.fma(qa, a2);
      a3 = k3.fma(qa, a3);
      b0 = k0.fma(qb, b0);
      b1 = k1.fma(qb, b1);
      b2 = k2.fma(qb, b2);
      b3 = k3.fma(qb, b3);
    }
    a0.intoArray(scores, so);
    a1.intoArray(scores, so + L);
    a2.intoArray(scores, so + 2 * L);
    a3.intoArray(scores, so + 3 * L);
    b0.intoArray(scores, so + len);
    b1.intoArray(scores, so + len + L);
    b2.intoArray(scores, so + len + 2 * L);
    b3.intoArray(scores, so + len + 3 * L);
  }

  /** {@code x[offset + i] *= s} for {@code i < n}, masked at the end. */
  private static void scale(float[] x, int offset, int n, float s) {
    for (int j = 0; j < n; j += L) {
      VectorMask<Float> m = F.indexInRange(j, n);
      FloatVector.fromArray(F, x, offset + j, m).mul(s).intoArray(x, offset + j, m);
    }
  }

  /**
   * Replaces {@code x[offset .. offset + n)} by {@code exp(x - max)} and returns the reciprocal of
   * their sum: the softmax, still to be scaled.
   */
  private static float expShifted(float[] x, int offset, int n, float sink) {
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
    max = Math.max(max, sink);
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
    if (sink != Float.NEGATIVE_INFINITY) {
      sum += (float) Math.exp(sink - max);
    }
    return (float) (1.0 / sum);
  }

  /**
   * {@link #weightedValues} for two heads of {@code 4L} values each (weights at {@code w[wo ..]}
   * and {@code w[wo + len ..]}, outputs at {@code out[oo ..]} and {@code out[oo + 4L ..]}): eight
   * independent sums, each value vector loaded once for both heads.
   */
  private static void weightedValues4x2(float[] w, int wo, int len, int from, int to, float[] cache, int values,
      int kvDim, float[] out, int oo) {
    FloatVector a0 = FloatVector.fromArray(F, out, oo);
    FloatVector a1 = FloatVector.fromArray(F, out, oo + L);
    FloatVector a2 = FloatVector.fromArray(F, out, oo + 2 * L);
    FloatVector a3 = FloatVector.fromArray(F, out, oo + 3 * L);
    FloatVector b0 = FloatVector.fromArray(F, out, oo + 4 * L);
    FloatVector b1 = FloatVector.fromArray(F, out, oo + 5 * L);
    FloatVector b2 = FloatVector.fromArray(F, out, oo + 6 * L);
    FloatVector b3 = FloatVector.fromArray(F, out, oo + 7 * L);
    for (int j = from; j < to; j++) {
      FloatVector pa = FloatVector.broadcast(F, w[wo + j]);
      FloatVector pb = FloatVector.broadcast(F, w[wo + len + j]);
      int vo = values + j * kvDim;
      FloatVector v0 = FloatVector.fromArray(F, cache, vo);
      FloatVector v1 = FloatVector.fromArray(F, cache, vo + L);
      FloatVector v2 = FloatVector.fromArray(F, cache, vo + 2 * L);
      FloatVector v3 = FloatVector.fromArray(F, cache, vo + 3 * L);
      a0 = v0.fma(pa, a0);
      a1 = v1.fma(pa, a1);
      a2 = v2.fma(pa, a2);
      a3 = v3.fma(pa, a3);
      b0 = v0.fma(pb, b0);
      b1 = v1.fma(pb, b1);
      b2 = v2.fma(pb, b2);
      b3 = v3.fma(pb, b3);
    }
    a0.intoArray(out, oo);
    a1.intoArray(out, oo + L);
    a2.intoArray(out, oo + 2 * L);
    a3.intoArray(out, oo + 3 * L);
    b0.intoArray(out, oo + 4 * L);
    b1.intoArray(out, oo + 5 * L);
    b2.intoArray(out, oo + 6 * L);
    b3.intoArray(out, oo + 7 * L);
  }

  /**
   * {@code out[oo + i] += Σ_j w[wo + j] · cache[values + j · kvDim + i]} for {@code i < headDim}
   * and positions {@code j} in {@code [from, to)}, in order: four vectors of the head at a time
   * held in registers over the positions.
   */
  private static void weightedValues(float[] w, int wo, int from, int to, float[] cache, int values, int kvDim,
      int headDim, float[] out, int oo) {
    int bound = F.loopBound(headDim);
    int i = 0;
    for (; i + 4 * L <= bound; i += 4 * L) {
      FloatVector a0 = FloatVector.fromArray(F, out, oo + i);
      FloatVector a1 = FloatVector.fromArray(F, out, oo + i + L);
      FloatVector a2 = FloatVector.fromArray(F, out, oo + i + 2 * L);
      FloatVector a3 = FloatVector.fromArray(F, out, oo + i + 3 * L);
      for (int j = from; j < to; j++) {
        FloatVector p = FloatVector.broadcast(F, w[wo + j]);
        int vo = values + j * kvDim + i;
        a0 = FloatVector.fromArray(F, cache, vo).fma(p, a0);
        a1 = FloatVector.fromArray(F, cache, vo + L).fma(p, a1);
        a2 = FloatVector.fromArray(F, cache, vo + 2 * L).fma(p, a2);
        a3 = FloatVector.fromArray(F, cache, vo + 3 * L).fma(p, a3);
      }
      a0.intoArray(out, oo + i);
      a1.intoArray(out, oo + i + L);
      a2.intoArray(out, oo + i + 2 * L);
      a3.intoArray(out, oo + i + 3 * L);
    }
    for (; i < bound; i += L) {
      FloatVector a0 = FloatVector.fromArray(F, out, oo + i);
      for (int j = from; j < to; j++) {
        a0 = FloatVector.fromArray(F, cache, values + j * kvDim + i).fma(FloatVector.broadcast(F, w[wo + j]), a0);
      }
      a0.intoArray(out, oo + i);
    }
    for (; i < headDim; i++) {
      float s = out[oo + i];
      for (int j = from; j < to; j++) {
        s += w[wo + j] * cache[values + j * kvDim + i];
      }
      out[oo + i] = s;
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
