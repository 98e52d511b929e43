package dev.banter.local.model;

/**
 * How far an engine's logits are from llama.cpp's over every position of a prompt: the largest
 * absolute difference, the mean KL divergence KL(llama.cpp ‖ engine) of the softmaxed rows
 * (float64), and the share of positions whose top-1 token agrees.
 */
final class LogitComparison {
  final double maxAbs;
  final double meanKl;
  final double top1;
  final int positions;

  private LogitComparison(double maxAbs, double meanKl, double top1, int positions) {
    this.maxAbs = maxAbs;
    this.meanKl = meanKl;
    this.top1 = top1;
    this.positions = positions;
  }

  static LogitComparison of(float[] reference, float[] engine, int vocab) {
    int positions = reference.length / vocab;
    double maxAbs = 0;
    double klSum = 0;
    int agree = 0;
    double[] p = new double[vocab];
    double[] q = new double[vocab];
    for (int t = 0; t < positions; t++) {
      int o = t * vocab;
      for (int i = 0; i < vocab; i++) {
        maxAbs = Math.max(maxAbs, Math.abs((double) reference[o + i] - engine[o + i]));
      }
      softmax(reference, o, vocab, p);
      softmax(engine, o, vocab, q);
      double kl = 0;
      for (int i = 0; i < vocab; i++) {
        if (p[i] > 0) {
          kl += p[i] * (Math.log(p[i]) - Math.log(Math.max(q[i], Double.MIN_VALUE)));
        }
      }
      klSum += kl;
      if (argmax(reference, o, vocab) == argmax(engine, o, vocab)) {
        agree++;
      }
    }
    return new LogitComparison(maxAbs, klSum / positions, (double) agree / positions, positions);
  }

  static int argmax(float[] x, int offset, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (x[offset + i] > x[offset + best]) {
        best = i;
      }
    }
    return best;
  }

  private static void softmax(float[] x, int offset, int n, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, x[offset + i]);
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      out[i] = Math.exp(x[offset + i] - max);
      sum += out[i];
    }
    for (int i = 0; i < n; i++) {
      out[i] /= sum;
    }
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "max|Δ| %.3g, mean KL %.3g, top-1 %.3f (%d positions)",
        maxAbs, meanKl, top1, positions);
  }
}
