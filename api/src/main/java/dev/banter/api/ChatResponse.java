package dev.banter.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a chat call: the assistant's message (text and tool calls), any reasoning text
 * the model exposed, why it stopped, the tokens used and how long it took. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * ChatResponse r = model.chat(ChatRequest.of("Why is the sky blue?"));
 * System.out.println(r.text());
 * System.out.println(r.finishReason() + ", " + r.usage().map(Usage::totalTokens).orElse(0) + " tokens");
 * }</pre>
 */
public final class ChatResponse {
  private final Message message;
  private final String reasoning;
  private final FinishReason finishReason;
  private final Usage usage;
  private final Timings timings;
  private final String model;
  private final String backendId;
  private final List<TokenLogprob> logprobs;

  private ChatResponse(Builder b) {
    this.message = Objects.requireNonNull(b.message, "message");
    if (message.role() != Role.ASSISTANT) {
      throw new IllegalArgumentException("a response carries an assistant message, got " + message.role());
    }
    this.reasoning = b.reasoning;
    this.finishReason = b.finishReason;
    this.usage = b.usage;
    this.timings = b.timings;
    this.model = b.model;
    this.backendId = b.backendId;
    this.logprobs = b.logprobs;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder().message(message).reasoning(reasoning).finishReason(finishReason);
    b.usage = usage;
    b.timings = timings;
    b.model = model;
    b.backendId = backendId;
    b.logprobs = logprobs;
    return b;
  }

  /** The assistant's message. */
  public Message message() {
    return message;
  }

  /**
   * Each generated token with its log probability, in order, when the request asked for them
   * ({@link GenerationOptions#logprobs()}) and the backend reports them; otherwise empty.
   */
  public List<TokenLogprob> logprobs() {
    return logprobs;
  }

  /** The assistant's text, the same as {@code message().content()}. */
  public String text() {
    return message.content();
  }

  /** Reasoning text the model exposed separately from its answer; empty text when it exposed none. */
  public String reasoning() {
    return reasoning;
  }

  public FinishReason finishReason() {
    return finishReason;
  }

  /** Tokens used, when the backend reported them (also after a cancel, the tokens used so far). */
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  /** Time to first token and rates, when measured; Banter's runtime measures every call it makes. */
  public Optional<Timings> timings() {
    return Optional.ofNullable(timings);
  }

  /** The model that answered, as the backend names it, when it says. */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /** The id of the backend that answered (after any fallback), when known. */
  public Optional<String> backendId() {
    return Optional.ofNullable(backendId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatResponse r
        && message.equals(r.message) && reasoning.equals(r.reasoning) && finishReason == r.finishReason
        && Objects.equals(usage, r.usage) && Objects.equals(timings, r.timings) && Objects.equals(model, r.model)
        && Objects.equals(backendId, r.backendId) && logprobs.equals(r.logprobs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(message, reasoning, finishReason, usage, timings, model, backendId, logprobs);
  }

  @Override
  public String toString() {
    return "ChatResponse{" + finishReason + ", backend=" + backendId + ", model=" + model
        + ", usage=" + usage + ", message=" + message + '}';
  }

  /**
   * Collects a response (backends and tests build them). Not thread-safe.
   *
   * <pre>{@code
   * ChatResponse r = ChatResponse.builder().text("Hello!").usage(Usage.of(5, 2)).model("echo-1").build();
   * }</pre>
   */
  public static final class Builder {
    private Message message;
    private String reasoning = "";
    private FinishReason finishReason = FinishReason.STOP;
    private Usage usage;
    private Timings timings;
    private String model;
    private String backendId;
    private List<TokenLogprob> logprobs = List.of();

    private Builder() {}

    public Builder message(Message message) {
      this.message = Objects.requireNonNull(message, "message");
      return this;
    }

    /** Sets an assistant message holding {@code text}. */
    public Builder text(String text) {
      return message(Message.assistant(text));
    }

    public Builder reasoning(String reasoning) {
      this.reasoning = Objects.requireNonNull(reasoning, "reasoning");
      return this;
    }

    public Builder finishReason(FinishReason finishReason) {
      this.finishReason = Objects.requireNonNull(finishReason, "finishReason");
      return this;
    }

    public Builder usage(Usage usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    public Builder timings(Timings timings) {
      this.timings = Objects.requireNonNull(timings, "timings");
      return this;
    }

    public Builder model(String model) {
      this.model = nonEmpty(model, "model");
      return this;
    }

    public Builder backendId(String backendId) {
      this.backendId = nonEmpty(backendId, "backendId");
      return this;
    }

    /** The generated tokens' log probabilities, in order. */
    public Builder logprobs(List<TokenLogprob> logprobs) {
      this.logprobs = List.copyOf(logprobs);
      return this;
    }

    private static String nonEmpty(String value, String name) {
      if (Objects.requireNonNull(value, name).isEmpty()) {
        throw new IllegalArgumentException(name + " must not be empty; leave it unset when unknown");
      }
      return value;
    }

    /** @throws NullPointerException if no message was set */
    public ChatResponse build() {
      return new ChatResponse(this);
    }
  }
}
