package dev.banter.local.model;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the next token from a row of logits the way llama.cpp's default sampler chain does:
 * penalties (repetition, frequency, presence) over the last {@code penaltyLastN} accepted
 * tokens, then top-k, top-p, min-p, temperature, and a draw from the remaining distribution.
 * Temperature 0 (or below) is greedy: the most likely token after the penalties, the lowest id
 * on a tie. Draws come from a generator seeded by {@link Builder#seed(long)}, so the same seed,
 * logits and accepted tokens give the same choices. Not thread-safe: one per generation. Sampling
 * allocates nothing.
 *
 * <pre>{@code
 * Sampler sampler = Sampler.builder().temperature(0.8).topK(40).topP(0.95).seed(42).build(vocab);
 * for (int t : prompt) sampler.accept(t);
 * int next = sampler.sample(logits);
 * sampler.accept(next);
 * }</pre>
 */
public final class Sampler {
  private final int vocab;
  private final float temperature;
  private final int topK;
  private final float topP;
  private final float minP;
  private final float repeatPenalty;
  private final float frequencyPenalty;
  private final float presencePenalty;
  private final Prng prng;
  /** The last accepted tokens, a ring of {@code penaltyLastN}. */
  private final int[] recent;
  private final int[] sortedRecent;
  private int recentCount;
  private int recentNext;
  /** Logits by token id, after the penalties. */
  private final float[] vals;
  /** The candidates still in play and their logits, in the order the filters leave them. */
  private final int[] ids;
  private final float[] cand;
  /** log Σ exp(vals) of the last {@link #sample}, or NaN until {@link #logprob} needs it. */
  private double logNorm = Double.NaN;
  private boolean sampled;

  private Sampler(Builder b, int vocab) {
    this.vocab = vocab;
    this.temperature = (float) b.temperature;
    this.topK = b.topK;
    this.topP = (float) b.topP;
    this.minP = (float) b.minP;
    this.repeatPenalty = (float) b.repetitionPenalty;
    this.frequencyPenalty = (float) b.frequencyPenalty;
    this.presencePenalty = (float) b.presencePenalty;
    this.prng = new Prng(b.seedSet ? b.seed : ThreadLocalRandom.current().nextLong());
    this.recent = new int[b.penaltyLastN];
    this.sortedRecent = new int[b.penaltyLastN];
    this.vals = new float[vocab];
    this.ids = new int[vocab];
    this.cand = new float[vocab];
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Records a token of the sequence (prompt or generated) for the penalties. */
  public void accept(int token) {
    if (recent.length == 0) {
      return;
    }
    recent[recentNext] = token;
    recentNext = (recentNext + 1) % recent.length;
    if (recentCount < recent.length) {
      recentCount++;
    }
  }

  /**
   * The next token for {@code logits} (the first {@code vocab} values are read, not changed).
   *
   * @throws IllegalArgumentException if {@code logits} holds fewer than {@code vocab} values
   */
  public int sample(float[] logits) {
    if (logits.length < vocab) {
      throw new IllegalArgumentException("logits hold " + logits.length + " values, the vocabulary " + vocab);
    }
    for (int i = 0; i < vocab; i++) {
      float l = logits[i];
      vals[i] = Float.isNaN(l) ? Float.NEGATIVE_INFINITY : l;
    }
    penalize(vals);
    logNorm = Double.NaN;
    sampled = true;
    if (temperature <= 0) {
      return argmax(vals, vocab);
    }
    int size = vocab;
    boolean sorted = false;
    if (topK > 0) {
      size = selectBest(Math.min(topK, vocab));
      sorted = true;
    }
    if (topP < 1.0f) {
      if (!sorted) {
        size = selectBest(vocab);
        sorted = true;
      }
      size = nucleus(size);
    }
    if (!sorted) {
      for (int i = 0; i < vocab; i++) {
        ids[i] = i;
        cand[i] = vals[i];
      }
    }
    if (minP > 0.0f) {
      size = minP(size);
    }
    for (int i = 0; i < size; i++) {
      cand[i] /= temperature;
    }
    return draw(size);
  }

  /**
   * The natural-log probability of {@code token} in the distribution the last {@link #sample}
   * drew from, taken as OpenAI reports it: the softmax of the logits after the penalties (and any
   * constraint that set logits to -Infinity), before temperature and the top-k, top-p and min-p
   * cut-offs, so that a value does not depend on how adventurous the sampling was.
   *
   * @throws IllegalStateException if nothing was sampled yet
   */
  public double logprob(int token) {
    if (Double.isNaN(logNorm)) {
      logNorm = logSumExp();
    }
    float l = vals[token];
    return l == Float.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : Math.min(0.0, l - logNorm);
  }

  /**
   * The {@code n} most likely tokens of the last {@link #sample}'s distribution, most likely
   * first (ties by lower id), into {@code tokens}; their log probabilities as {@link #logprob}.
   *
   * @return how many were written: {@code n}, or fewer when the vocabulary is smaller
   * @throws IllegalStateException if nothing was sampled yet
   */
  public int mostLikely(int n, int[] tokens) {
    if (!sampled) {
      throw new IllegalStateException("no token was sampled yet");
    }
    int k = Math.min(n, vocab);
    int size = 0;
    for (int i = 0; i < vocab; i++) {
      if (size == k && !before(i, tokens[size - 1])) {
        continue;
      }
      int at = size < k ? size++ : k - 1;
      while (at > 0 && before(i, tokens[at - 1])) {
        tokens[at] = tokens[at - 1];
        at--;
      }
      tokens[at] = i;
    }
    return size;
  }

  private double logSumExp() {
    if (!sampled) {
      throw new IllegalStateException("no token was sampled yet");
    }
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      max = Math.max(max, vals[i]);
    }
    if (max == Float.NEGATIVE_INFINITY) {
      return 0.0;
    }
    double sum = 0.0;
    for (int i = 0; i < vocab; i++) {
      sum += Math.exp(vals[i] - max);
    }
    return max + Math.log(sum);
  }

  /** Applies the penalties of the accepted tokens to logits indexed by token id. */
  void penalize(float[] logits) {
    if (recentCount == 0
        || (repeatPenalty == 1.0f && frequencyPenalty == 0.0f && presencePenalty == 0.0f)) {
      return;
    }
    System.arraycopy(recent, 0, sortedRecent, 0, recentCount);
    Arrays.sort(sortedRecent, 0, recentCount);
    int i = 0;
    while (i < recentCount) {
      int token = sortedRecent[i];
      int count = 0;
      while (i < recentCount && sortedRecent[i] == token) {
        count++;
        i++;
      }
      if (token < 0 || token >= vocab) {
        continue;
      }
      float l = logits[token];
      l = l <= 0 ? l * repeatPenalty : l / repeatPenalty;
      l -= count * frequencyPenalty + presencePenalty;
      logits[token] = l;
    }
  }

  private static int argmax(float[] x, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (x[i] > x[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Whether token {@code a} ranks before {@code b}: larger logit, then lower id. */
  private boolean before(int a, int b) {
    return vals[a] > vals[b] || (vals[a] == vals[b] && a < b);
  }

  /**
   * Puts the {@code k} best tokens into {@code ids[0 .. k)} best first, with their logits in
   * {@code cand}: a heap of the k best seen (worst on top), then emptied from the back.
   */
  private int selectBest(int k) {
    int size = 0;
    for (int t = 0; t < vocab; t++) {
      if (size < k) {
        ids[size] = t;
        siftUp(size);
        size++;
      } else if (before(t, ids[0])) {
        ids[0] = t;
        siftDown(0, size);
      }
    }
    for (int end = size - 1; end > 0; end--) {
      int worst = ids[0];
      ids[0] = ids[end];
      ids[end] = worst;
      siftDown(0, end);
    }
    for (int i = 0; i < size; i++) {
      cand[i] = vals[ids[i]];
    }
    return size;
  }

  private void siftUp(int i) {
    int x = ids[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(ids[parent], x)) {
        break;
      }
      ids[i] = ids[parent];
      i = parent;
    }
    ids[i] = x;
  }

  private void siftDown(int i, int size) {
    int x = ids[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(ids[child], ids[child + 1])) {
        child++;
      }
      if (!before(x, ids[child])) {
        break;
      }
      ids[i] = ids[child];
      i = child;
    }
    ids[i] = x;
  }

  /** Keeps the shortest best-first prefix whose probability reaches {@code topP} (at least one). */
  private int nucleus(int size) {
    float max = cand[0];
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += Math.exp(cand[i] - max);
    }
    double cum = 0;
    for (int i = 0; i < size; i++) {
      cum += Math.exp(cand[i] - max) / sum;
      if (cum >= topP) {
        return i + 1;
      }
    }
    return size;
  }

  /** Keeps the candidates whose probability is at least {@code minP} times the best one's. */
  private int minP(int size) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, cand[i]);
    }
    float threshold = max + (float) Math.log(minP);
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (cand[i] >= threshold) {
        ids[kept] = ids[i];
        cand[kept] = cand[i];
        kept++;
      }
    }
    return kept > 0 ? kept : size;
  }

  /** Draws from the softmax of the candidates' logits. */
  private int draw(int size) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, cand[i]);
    }
    if (max == Float.NEGATIVE_INFINITY) {
      return ids[0];
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      float p = (float) Math.exp(cand[i] - max);
      cand[i] = p;
      sum += p;
    }
    double r = prng.nextDouble() * sum;
    double acc = 0;
    for (int i = 0; i < size; i++) {
      acc += cand[i];
      if (r < acc) {
        return ids[i];
      }
    }
    for (int i = size - 1; i >= 0; i--) {
      if (cand[i] > 0) {
        return ids[i];
      }
    }
    return ids[0];
  }

  /**
   * Sampling settings; unset values take llama.cpp's defaults: temperature 0.8, top-k 40, top-p
   * 0.95, min-p 0.05, no penalties over the last 64 tokens, a random seed. Not thread-safe. Its
   * range checks repeat {@code GenerationOptions}' on purpose: the sampler is also built without a
   * request (the benchmarks and the {@code banter} tools), and must refuse bad values there too.
   */
  public static final class Builder {
    private double temperature = 0.8;
    private int topK = 40;
    private double topP = 0.95;
    private double minP = 0.05;
    private double repetitionPenalty = 1.0;
    private double frequencyPenalty = 0.0;
    private double presencePenalty = 0.0;
    private int penaltyLastN = 64;
    private long seed;
    private boolean seedSet;

    private Builder() {}

    /** 0 or below: greedy. */
    public Builder temperature(double temperature) {
      if (Double.isNaN(temperature)) {
        throw new IllegalArgumentException("temperature must be a number");
      }
      this.temperature = temperature;
      return this;
    }

    /** Keep the k most likely tokens; 0 keeps all. */
    public Builder topK(int topK) {
      if (topK < 0) {
        throw new IllegalArgumentException("topK must be >= 0, got " + topK);
      }
      this.topK = topK;
      return this;
    }

    /** Keep the most likely tokens up to this total probability; 1 keeps all. */
    public Builder topP(double topP) {
      if (!(topP > 0 && topP <= 1)) {
        throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
      }
      this.topP = topP;
      return this;
    }

    /** Keep the tokens at least this fraction as likely as the most likely one; 0 keeps all. */
    public Builder minP(double minP) {
      if (!(minP >= 0 && minP <= 1)) {
        throw new IllegalArgumentException("minP must be in [0, 1], got " + minP);
      }
      this.minP = minP;
      return this;
    }

    /** Divides a recent token's positive logit (multiplies a negative one) by this; 1 is off. */
    public Builder repetitionPenalty(double penalty) {
      if (!(penalty > 0) || Double.isInfinite(penalty)) {
        throw new IllegalArgumentException("repetitionPenalty must be positive, got " + penalty);
      }
      this.repetitionPenalty = penalty;
      return this;
    }

    /** Subtracted from a recent token's logit once per occurrence. */
    public Builder frequencyPenalty(double penalty) {
      if (Double.isNaN(penalty) || Double.isInfinite(penalty)) {
        throw new IllegalArgumentException("frequencyPenalty must be a finite number, got " + penalty);
      }
      this.frequencyPenalty = penalty;
      return this;
    }

    /** Subtracted once from the logit of every recent token. */
    public Builder presencePenalty(double penalty) {
      if (Double.isNaN(penalty) || Double.isInfinite(penalty)) {
        throw new IllegalArgumentException("presencePenalty must be a finite number, got " + penalty);
      }
      this.presencePenalty = penalty;
      return this;
    }

    /** How many of the last accepted tokens the penalties look at; 0 turns them off. */
    public Builder penaltyLastN(int n) {
      if (n < 0 || n > 1 << 20) {
        throw new IllegalArgumentException("penaltyLastN must be in [0, 2^20], got " + n);
      }
      this.penaltyLastN = n;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      this.seedSet = true;
      return this;
    }

    /**
     * A sampler over a vocabulary of {@code vocab} tokens.
     *
     * @throws IllegalArgumentException if {@code vocab < 1}
     */
    public Sampler build(int vocab) {
      if (vocab < 1) {
        throw new IllegalArgumentException("vocab must be >= 1, got " + vocab);
      }
      return new Sampler(this, vocab);
    }
  }
}
