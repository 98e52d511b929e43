package dev.banter.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How to sample an answer: temperature, nucleus and top-k cut-offs, length, stop sequences, seed
 * and penalties. Every field may be left unset, so that a persona's defaults or the backend's own
 * defaults apply; {@link #withDefaults(GenerationOptions)} layers two sets. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * GenerationOptions o = GenerationOptions.builder()
 *     .temperature(0.8).topP(0.95).maxTokens(256).stop("User:").seed(42).build();
 * o.temperature().getAsDouble(); // 0.8
 * }</pre>
 */
public final class GenerationOptions {
  private static final GenerationOptions DEFAULTS = builder().build();

  private final Double temperature;
  private final Double topP;
  private final Integer topK;
  private final Double minP;
  private final Integer maxTokens;
  private final List<String> stop;
  private final Long seed;
  private final Double repetitionPenalty;
  private final Double presencePenalty;
  private final Double frequencyPenalty;
  private final Boolean logprobs;
  private final Integer topLogprobs;
  private final Boolean thinking;

  private GenerationOptions(Builder b) {
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.topK = b.topK;
    this.minP = b.minP;
    this.maxTokens = b.maxTokens;
    this.stop = b.stop == null ? null : Collections.unmodifiableList(new ArrayList<>(b.stop));
    this.seed = b.seed;
    this.repetitionPenalty = b.repetitionPenalty;
    this.presencePenalty = b.presencePenalty;
    this.frequencyPenalty = b.frequencyPenalty;
    this.logprobs = b.logprobs;
    this.topLogprobs = b.topLogprobs;
    this.thinking = b.thinking;
  }

  /** Options with nothing set: every backend uses its own defaults. */
  public static GenerationOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this instance's values, to change one field. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.temperature = temperature;
    b.topP = topP;
    b.topK = topK;
    b.minP = minP;
    b.maxTokens = maxTokens;
    b.stop = stop;
    b.seed = seed;
    b.repetitionPenalty = repetitionPenalty;
    b.presencePenalty = presencePenalty;
    b.frequencyPenalty = frequencyPenalty;
    b.logprobs = logprobs;
    b.topLogprobs = topLogprobs;
    b.thinking = thinking;
    return b;
  }

  /**
   * These options on top of {@code base}: each field set here wins, each unset field takes
   * {@code base}'s value. Stop sequences are not merged: a set list replaces the base list.
   */
  public GenerationOptions withDefaults(GenerationOptions base) {
    Objects.requireNonNull(base, "base");
    Builder b = base.toBuilder();
    if (temperature != null) b.temperature = temperature;
    if (topP != null) b.topP = topP;
    if (topK != null) b.topK = topK;
    if (minP != null) b.minP = minP;
    if (maxTokens != null) b.maxTokens = maxTokens;
    if (stop != null) b.stop = stop;
    if (seed != null) b.seed = seed;
    if (repetitionPenalty != null) b.repetitionPenalty = repetitionPenalty;
    if (presencePenalty != null) b.presencePenalty = presencePenalty;
    if (frequencyPenalty != null) b.frequencyPenalty = frequencyPenalty;
    if (logprobs != null) b.logprobs = logprobs;
    if (topLogprobs != null) b.topLogprobs = topLogprobs;
    if (thinking != null) b.thinking = thinking;
    return new GenerationOptions(b);
  }

  /** Sampling temperature; 0 means greedy. */
  public OptionalDouble temperature() {
    return opt(temperature);
  }

  /** Nucleus sampling: keep the smallest set of tokens whose probability sums to at least this. */
  public OptionalDouble topP() {
    return opt(topP);
  }

  /** Keep only the k most likely tokens; 0 disables the cut-off. */
  public OptionalInt topK() {
    return topK == null ? OptionalInt.empty() : OptionalInt.of(topK);
  }

  /** Drop tokens whose probability is below this fraction of the most likely token's. */
  public OptionalDouble minP() {
    return opt(minP);
  }

  /** The most tokens to generate. */
  public OptionalInt maxTokens() {
    return maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens);
  }

  /** Texts that end the answer when generated (not included in it); empty when unset. */
  public List<String> stop() {
    return stop == null ? List.of() : stop;
  }

  /** Whether stop sequences were set (possibly to an empty list, which clears inherited ones). */
  public boolean hasStop() {
    return stop != null;
  }

  /** Seed for sampling: the same seed, prompt and options give the same tokens on the same backend. */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /** Penalty (> 1 discourages) for tokens already present in the prompt and answer (llama.cpp style). */
  public OptionalDouble repetitionPenalty() {
    return opt(repetitionPenalty);
  }

  /** OpenAI-style presence penalty, -2..2. */
  public OptionalDouble presencePenalty() {
    return opt(presencePenalty);
  }

  /** OpenAI-style frequency penalty, -2..2. */
  public OptionalDouble frequencyPenalty() {
    return opt(frequencyPenalty);
  }

  /**
   * Whether the answer carries each generated token's log probability
   * ({@link ChatResponse#logprobs()}, {@link ChatChunk#logprobs()}); false when unset.
   */
  public boolean logprobs() {
    return Boolean.TRUE.equals(logprobs);
  }

  /** How many of the most likely tokens to report at each position (0..20), with {@link #logprobs()}. */
  public OptionalInt topLogprobs() {
    return topLogprobs == null ? OptionalInt.empty() : OptionalInt.of(topLogprobs);
  }

  /**
   * Whether a model that can think before it answers does so (Qwen 3's {@code enable_thinking},
   * {@code reasoning_effort} {@code none} elsewhere); empty: the model's default. Models that
   * always or never think ignore it.
   */
  public Optional<Boolean> thinking() {
    return Optional.ofNullable(thinking);
  }

  private static OptionalDouble opt(Double d) {
    return d == null ? OptionalDouble.empty() : OptionalDouble.of(d);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GenerationOptions g)) {
      return false;
    }
    return Objects.equals(temperature, g.temperature)
        && Objects.equals(topP, g.topP)
        && Objects.equals(topK, g.topK)
        && Objects.equals(minP, g.minP)
        && Objects.equals(maxTokens, g.maxTokens)
        && Objects.equals(stop, g.stop)
        && Objects.equals(seed, g.seed)
        && Objects.equals(repetitionPenalty, g.repetitionPenalty)
        && Objects.equals(presencePenalty, g.presencePenalty)
        && Objects.equals(frequencyPenalty, g.frequencyPenalty)
        && Objects.equals(logprobs, g.logprobs)
        && Objects.equals(topLogprobs, g.topLogprobs)
        && Objects.equals(thinking, g.thinking);
  }

  @Override
  public int hashCode() {
    return Objects.hash(temperature, topP, topK, minP, maxTokens, stop, seed,
        repetitionPenalty, presencePenalty, frequencyPenalty, logprobs, topLogprobs, thinking);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("GenerationOptions{");
    append(sb, "temperature", temperature);
    append(sb, "topP", topP);
    append(sb, "topK", topK);
    append(sb, "minP", minP);
    append(sb, "maxTokens", maxTokens);
    append(sb, "stop", stop);
    append(sb, "seed", seed);
    append(sb, "repetitionPenalty", repetitionPenalty);
    append(sb, "presencePenalty", presencePenalty);
    append(sb, "frequencyPenalty", frequencyPenalty);
    append(sb, "logprobs", logprobs);
    append(sb, "topLogprobs", topLogprobs);
    append(sb, "thinking", thinking);
    if (sb.charAt(sb.length() - 1) == ' ') {
      sb.setLength(sb.length() - 2);
    }
    return sb.append('}').toString();
  }

  private static void append(StringBuilder sb, String name, Object value) {
    if (value != null) {
      sb.append(name).append('=').append(value).append(", ");
    }
  }

  /**
   * Collects options; each setter validates its value at once. Not thread-safe.
   *
   * <pre>{@code
   * GenerationOptions greedy = GenerationOptions.builder().temperature(0).maxTokens(64).build();
   * }</pre>
   */
  public static final class Builder {
    private Double temperature;
    private Double topP;
    private Integer topK;
    private Double minP;
    private Integer maxTokens;
    private List<String> stop;
    private Long seed;
    private Double repetitionPenalty;
    private Double presencePenalty;
    private Double frequencyPenalty;
    private Boolean logprobs;
    private Integer topLogprobs;
    private Boolean thinking;

    private Builder() {}

    /** @param temperature 0 (greedy) up to 2 */
    public Builder temperature(double temperature) {
      if (!(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException("temperature must be in [0, 2], got " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /** @param topP in (0, 1] */
    public Builder topP(double topP) {
      if (!(topP > 0 && topP <= 1)) {
        throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
      }
      this.topP = topP;
      return this;
    }

    /** @param topK >= 0; 0 disables the cut-off */
    public Builder topK(int topK) {
      if (topK < 0) {
        throw new IllegalArgumentException("topK must be >= 0, got " + topK);
      }
      this.topK = topK;
      return this;
    }

    /** @param minP in [0, 1] */
    public Builder minP(double minP) {
      if (!(minP >= 0 && minP <= 1)) {
        throw new IllegalArgumentException("minP must be in [0, 1], got " + minP);
      }
      this.minP = minP;
      return this;
    }

    /** @param maxTokens >= 1 */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /** Replaces the stop sequences; each must be non-empty. */
    public Builder stop(String... stop) {
      return stop(java.util.Arrays.asList(stop));
    }

    /** Replaces the stop sequences; each must be non-empty. An empty list clears inherited ones. */
    public Builder stop(List<String> stop) {
      Objects.requireNonNull(stop, "stop");
      for (String s : stop) {
        if (s == null || s.isEmpty()) {
          throw new IllegalArgumentException("stop sequences must be non-empty strings, got " + stop);
        }
      }
      this.stop = new ArrayList<>(stop);
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** @param penalty > 0; 1 means none, > 1 discourages repetition */
    public Builder repetitionPenalty(double penalty) {
      if (!(penalty > 0 && penalty <= 10)) {
        throw new IllegalArgumentException("repetitionPenalty must be in (0, 10], got " + penalty);
      }
      this.repetitionPenalty = penalty;
      return this;
    }

    /** @param penalty in [-2, 2] */
    public Builder presencePenalty(double penalty) {
      if (!(penalty >= -2 && penalty <= 2)) {
        throw new IllegalArgumentException("presencePenalty must be in [-2, 2], got " + penalty);
      }
      this.presencePenalty = penalty;
      return this;
    }

    /** @param penalty in [-2, 2] */
    public Builder frequencyPenalty(double penalty) {
      if (!(penalty >= -2 && penalty <= 2)) {
        throw new IllegalArgumentException("frequencyPenalty must be in [-2, 2], got " + penalty);
      }
      this.frequencyPenalty = penalty;
      return this;
    }

    /** Whether to return each generated token's log probability. */
    public Builder logprobs(boolean logprobs) {
      this.logprobs = logprobs;
      return this;
    }

    /**
     * How many of the most likely tokens to return at each position; they are returned when
     * {@link #logprobs(boolean)} is on.
     *
     * @param topLogprobs 0 to 20
     */
    public Builder topLogprobs(int topLogprobs) {
      if (topLogprobs < 0 || topLogprobs > 20) {
        throw new IllegalArgumentException("topLogprobs must be in [0, 20], got " + topLogprobs);
      }
      this.topLogprobs = topLogprobs;
      return this;
    }

    /** Whether a model that can think before it answers does so; see {@link GenerationOptions#thinking()}. */
    public Builder thinking(boolean thinking) {
      this.thinking = thinking;
      return this;
    }

    public GenerationOptions build() {
      return new GenerationOptions(this);
    }
  }
}
