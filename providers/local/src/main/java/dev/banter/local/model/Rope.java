package dev.banter.local.model;

/**
 * Rotary position embedding as ggml computes it: the angle of pair {@code i} at position
 * {@code p} is {@code p · base^(-2i/dims)} (built by repeated multiplication in float, as ggml's
 * cache does), divided by an optional per-pair frequency factor (Llama 3.1's
 * {@code rope_freqs.weight}), stretched by linear or YaRN scaling. Pairs are adjacent values
 * {@code (2i, 2i+1)} ("normal", llama) or values half a rotation apart {@code (i, i + dims/2)}
 * ("NEOX", qwen2 and grok); values past {@code dims} are left alone. Immutable.
 */
final class Rope {
  private final int dims;
  private final boolean neox;
  private final float thetaScale;
  private final float freqScale;
  private final float extFactor;
  private final float attnFactor;
  private final float corrLow;
  private final float corrHigh;
  private final float[] freqFactors;

  /**
   * @param freqFactors {@code dims / 2} divisors of the angles, or {@code null}
   */
  Rope(int dims, boolean neox, float base, float freqScale, float extFactor, float attnFactor, int originalContext,
      float betaFast, float betaSlow, float[] freqFactors) {
    this.dims = dims;
    this.neox = neox;
    this.thetaScale = (float) Math.pow(base, -2.0f / dims);
    this.freqScale = freqScale;
    this.extFactor = extFactor;
    this.attnFactor = attnFactor;
    float start = (float) Math.floor(correctionDim(dims, originalContext, betaFast, base));
    float end = (float) Math.ceil(correctionDim(dims, originalContext, betaSlow, base));
    this.corrLow = Math.max(0, start);
    this.corrHigh = Math.min(dims - 1, end);
    this.freqFactors = freqFactors;
  }

  static Rope of(Hyperparameters hp, float base, float freqScale, float[] freqFactors) {
    return new Rope(hp.ropeDims, hp.architecture.neoxRope(), base, freqScale, hp.yarnExtFactor,
        hp.yarnAttnFactor, hp.ropeOriginalContext, hp.yarnBetaFast, hp.yarnBetaSlow, freqFactors);
  }

  /** The number of rotated values per head. */
  int dims() {
    return dims;
  }

  /** The dimension at which a rotation of frequency {@code rotations} per context completes (YaRN). */
  private static float correctionDim(int dims, int originalContext, float rotations, float base) {
    return (float) (dims * Math.log(originalContext / (rotations * 2 * (float) Math.PI)) / (2 * Math.log(base)));
  }

  /** Writes the {@code dims / 2} cosines and sines of position {@code pos} at {@code offset}. */
  void angles(int pos, float[] cos, float[] sin, int offset) {
    float theta = pos;
    for (int i = 0; i < dims / 2; i++) {
      float extrapolated = freqFactors == null ? theta : theta / freqFactors[i];
      float interpolated = freqScale * extrapolated;
      float t = interpolated;
      float mscale = attnFactor;
      if (extFactor != 0.0f) {
        float ramp = ramp(2 * i) * extFactor;
        t = interpolated * (1 - ramp) + extrapolated * ramp;
        mscale *= 1.0f + 0.1f * (float) Math.log(1.0f / freqScale);
      }
      cos[offset + i] = (float) Math.cos(t) * mscale;
      sin[offset + i] = (float) Math.sin(t) * mscale;
      theta *= thetaScale;
    }
  }

  private float ramp(int i0) {
    float y = (i0 / 2 - corrLow) / Math.max(0.001f, corrHigh - corrLow);
    return 1 - Math.min(1, Math.max(0, y));
  }

  /**
   * Rotates {@code heads} consecutive heads of {@code headDim} values at {@code x[offset ..]} by the
   * angles at {@code cos/sin[csOffset ..]}.
   */
  void rotate(float[] x, int offset, int heads, int headDim, float[] cos, float[] sin, int csOffset) {
    int half = dims / 2;
    for (int h = 0; h < heads; h++) {
      int base = offset + h * headDim;
      if (neox) {
        for (int i = 0; i < half; i++) {
          float c = cos[csOffset + i];
          float s = sin[csOffset + i];
          float x0 = x[base + i];
          float x1 = x[base + i + half];
          x[base + i] = x0 * c - x1 * s;
          x[base + i + half] = x0 * s + x1 * c;
        }
      } else {
        for (int i = 0; i < half; i++) {
          float c = cos[csOffset + i];
          float s = sin[csOffset + i];
          float x0 = x[base + 2 * i];
          float x1 = x[base + 2 * i + 1];
          x[base + 2 * i] = x0 * c - x1 * s;
          x[base + 2 * i + 1] = x0 * s + x1 * c;
        }
      }
    }
  }
}
