package dev.banter.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How to start a {@link Conversation}: which persona, an extra system instruction, sampling options
 * for every turn, how many tokens the history may use, and how many to keep free for the answer.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Conversation c = model.conversation(ConversationSettings.builder()
 *     .persona("witty").tokenBudget(2048).reserveForAnswer(256).build());
 * }</pre>
 */
public final class ConversationSettings {
  private static final ConversationSettings DEFAULTS = builder().build();

  private final String persona;
  private final String system;
  private final GenerationOptions options;
  private final int tokenBudget;
  private final int reserveForAnswer;

  private ConversationSettings(Builder b) {
    this.persona = b.persona;
    this.system = b.system;
    this.options = b.options;
    this.tokenBudget = b.tokenBudget;
    this.reserveForAnswer = b.reserveForAnswer;
    if (tokenBudget > 0 && reserveForAnswer >= tokenBudget) {
      throw new IllegalArgumentException("reserveForAnswer (" + reserveForAnswer
          + ") must be smaller than tokenBudget (" + tokenBudget + ")");
    }
  }

  /** The model's default persona, its context window as budget, 512 tokens kept for the answer. */
  public static ConversationSettings defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The persona to talk to; the model's default persona when empty. */
  public Optional<String> persona() {
    return Optional.ofNullable(persona);
  }

  /** An instruction added after the persona's system prompt; empty when none. */
  public Optional<String> system() {
    return Optional.ofNullable(system);
  }

  /** Sampling options for every turn, layered over the persona's defaults. */
  public GenerationOptions options() {
    return options;
  }

  /** Most tokens the rendered prompt may use; empty means the backend's context window. */
  public OptionalInt tokenBudget() {
    return tokenBudget > 0 ? OptionalInt.of(tokenBudget) : OptionalInt.empty();
  }

  /** Tokens kept free for the answer inside the budget. */
  public int reserveForAnswer() {
    return reserveForAnswer;
  }

  /**
   * Collects settings. Not thread-safe.
   *
   * <pre>{@code
   * ConversationSettings s = ConversationSettings.builder().persona("regular").system("Be brief.").build();
   * }</pre>
   */
  public static final class Builder {
    private String persona;
    private String system;
    private GenerationOptions options = GenerationOptions.defaults();
    private int tokenBudget;
    private int reserveForAnswer = 512;

    private Builder() {}

    public Builder persona(String personaId) {
      this.persona = Objects.requireNonNull(personaId, "personaId");
      return this;
    }

    public Builder system(String instruction) {
      this.system = Objects.requireNonNull(instruction, "instruction");
      return this;
    }

    /** Sampling options for every turn (the persona's defaults fill what they leave unset). */
    public Builder options(GenerationOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** @param tokens >= 16 */
    public Builder tokenBudget(int tokens) {
      if (tokens < 16) {
        throw new IllegalArgumentException("tokenBudget must be >= 16, got " + tokens);
      }
      this.tokenBudget = tokens;
      return this;
    }

    /** @param tokens >= 0 */
    public Builder reserveForAnswer(int tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException("reserveForAnswer must be >= 0, got " + tokens);
      }
      this.reserveForAnswer = tokens;
      return this;
    }

    public ConversationSettings build() {
      return new ConversationSettings(this);
    }
  }
}
