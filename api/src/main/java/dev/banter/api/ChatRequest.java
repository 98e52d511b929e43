package dev.banter.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One chat call: the messages so far, how to sample, and optionally a persona, a model name,
 * tools and a response format. Immutable and thread-safe; build variants with
 * {@link #toBuilder()}.
 *
 * <pre>{@code
 * ChatRequest r = ChatRequest.builder()
 *     .user("Explain black holes in one sentence.")
 *     .persona("witty")
 *     .options(GenerationOptions.builder().maxTokens(80).build())
 *     .build();
 * ChatRequest colder = r.toBuilder().options(r.options().toBuilder().temperature(0).build()).build();
 * }</pre>
 */
public final class ChatRequest {
  private final List<Message> messages;
  private final GenerationOptions options;
  private final String persona;
  private final String model;
  private final List<ToolSpec> tools;
  private final ToolChoice toolChoice;
  private final Boolean parallelToolCalls;
  private final ResponseFormat responseFormat;
  private final int cacheablePrefix;

  private ChatRequest(Builder b) {
    if (b.messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    this.messages = Collections.unmodifiableList(new ArrayList<>(b.messages));
    this.options = b.options;
    this.persona = b.persona;
    this.model = b.model;
    this.tools = Collections.unmodifiableList(new ArrayList<>(b.tools));
    this.toolChoice = b.toolChoice;
    this.parallelToolCalls = b.parallelToolCalls;
    this.responseFormat = b.responseFormat;
    this.cacheablePrefix = b.cacheablePrefix;
    if (cacheablePrefix > messages.size()) {
      throw new IllegalArgumentException("cacheablePrefix " + cacheablePrefix + " exceeds the " + messages.size()
          + " messages");
    }
    if (toolChoice != null && toolChoice.mode() != ToolChoice.Mode.NONE && tools.isEmpty()) {
      throw new IllegalArgumentException("toolChoice " + toolChoice + " needs at least one tool");
    }
    if (toolChoice != null && toolChoice.mode() == ToolChoice.Mode.FUNCTION
        && tools.stream().noneMatch(t -> t.name().equals(toolChoice.function().orElse("")))) {
      throw new IllegalArgumentException("toolChoice names function '" + toolChoice.function().orElse("")
          + "' but no tool of that name was given");
    }
  }

  /** A request holding one user message and nothing else. */
  public static ChatRequest of(String userMessage) {
    return builder().user(userMessage).build();
  }

  /** A request holding these messages and nothing else. */
  public static ChatRequest of(List<Message> messages) {
    return builder().messages(messages).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.messages.addAll(messages);
    b.options = options;
    b.persona = persona;
    b.model = model;
    b.tools.addAll(tools);
    b.toolChoice = toolChoice;
    b.parallelToolCalls = parallelToolCalls;
    b.responseFormat = responseFormat;
    b.cacheablePrefix = cacheablePrefix;
    return b;
  }

  /** The messages, oldest first; never empty. */
  public List<Message> messages() {
    return messages;
  }

  /** Sampling options; {@link GenerationOptions#defaults()} when none were given. */
  public GenerationOptions options() {
    return options;
  }

  /** The id of the persona to answer as, overriding the model's default persona. */
  public Optional<String> persona() {
    return Optional.ofNullable(persona);
  }

  /** The backend's model name (for example {@code grok-4}), overriding the configured one. */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /** Functions the model may call; empty when none. */
  public List<ToolSpec> tools() {
    return tools;
  }

  /** Whether and which tool must be called; unset means the backend's default (auto). */
  public Optional<ToolChoice> toolChoice() {
    return Optional.ofNullable(toolChoice);
  }

  /**
   * Whether one answer may hold several tool calls; unset means the backend's default (allowed
   * where the model's format allows them). {@code false} keeps the first call and ends the answer
   * there.
   */
  public Optional<Boolean> parallelToolCalls() {
    return Optional.ofNullable(parallelToolCalls);
  }

  /** The required output shape; {@link ResponseFormat#text()} when none was given. */
  public ResponseFormat responseFormat() {
    return responseFormat;
  }

  /**
   * How many leading messages are the same across many requests — a persona's prompt and its
   * example exchanges — so that a backend with a prompt cache keeps their evaluated state and
   * evaluates only what follows; 0 (the default) leaves the choice to the backend, which then
   * keeps the leading system messages.
   */
  public int cacheablePrefix() {
    return cacheablePrefix;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ChatRequest r)) {
      return false;
    }
    return messages.equals(r.messages)
        && options.equals(r.options)
        && Objects.equals(persona, r.persona)
        && Objects.equals(model, r.model)
        && tools.equals(r.tools)
        && Objects.equals(toolChoice, r.toolChoice)
        && Objects.equals(parallelToolCalls, r.parallelToolCalls)
        && responseFormat.equals(r.responseFormat)
        && cacheablePrefix == r.cacheablePrefix;
  }

  @Override
  public int hashCode() {
    return Objects.hash(messages, options, persona, model, tools, toolChoice, parallelToolCalls, responseFormat,
        cacheablePrefix);
  }

  @Override
  public String toString() {
    return "ChatRequest{messages=" + messages.size()
        + ", options=" + options
        + (persona == null ? "" : ", persona=" + persona)
        + (model == null ? "" : ", model=" + model)
        + (tools.isEmpty() ? "" : ", tools=" + tools.size())
        + (responseFormat.type() == ResponseFormat.Type.TEXT ? "" : ", responseFormat=" + responseFormat)
        + '}';
  }

  /**
   * Collects a request; {@link #build()} checks it. Not thread-safe.
   *
   * <pre>{@code
   * ChatRequest r = ChatRequest.builder().system("Answer in French.").user("Hi!").persona("witty").build();
   * }</pre>
   */
  public static final class Builder {
    private final List<Message> messages = new ArrayList<>();
    private GenerationOptions options = GenerationOptions.defaults();
    private String persona;
    private String model;
    private final List<ToolSpec> tools = new ArrayList<>();
    private ToolChoice toolChoice;
    private Boolean parallelToolCalls;
    private ResponseFormat responseFormat = ResponseFormat.text();
    private int cacheablePrefix;

    private Builder() {}

    /** Replaces the messages. */
    public Builder messages(List<Message> messages) {
      Objects.requireNonNull(messages, "messages");
      this.messages.clear();
      for (Message m : messages) {
        this.messages.add(Objects.requireNonNull(m, "messages must not contain null"));
      }
      return this;
    }

    /** Appends a message. */
    public Builder message(Message message) {
      messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    public Builder system(String content) {
      return message(Message.system(content));
    }

    public Builder user(String content) {
      return message(Message.user(content));
    }

    public Builder assistant(String content) {
      return message(Message.assistant(content));
    }

    public Builder options(GenerationOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    public Builder persona(String personaId) {
      this.persona = Objects.requireNonNull(personaId, "personaId");
      return this;
    }

    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** Replaces the tools. */
    public Builder tools(ToolSpec... tools) {
      return tools(Arrays.asList(tools));
    }

    /** Replaces the tools. */
    public Builder tools(List<ToolSpec> tools) {
      Objects.requireNonNull(tools, "tools");
      this.tools.clear();
      for (ToolSpec t : tools) {
        this.tools.add(Objects.requireNonNull(t, "tools must not contain null"));
      }
      return this;
    }

    public Builder toolChoice(ToolChoice toolChoice) {
      this.toolChoice = Objects.requireNonNull(toolChoice, "toolChoice");
      return this;
    }

    /** Whether one answer may hold several tool calls; see {@link ChatRequest#parallelToolCalls()}. */
    public Builder parallelToolCalls(boolean parallel) {
      this.parallelToolCalls = parallel;
      return this;
    }

    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = Objects.requireNonNull(responseFormat, "responseFormat");
      return this;
    }

    /**
     * The number of leading messages that repeat across requests; see {@link ChatRequest#cacheablePrefix()}.
     *
     * @throws IllegalArgumentException if {@code messages} is negative
     */
    public Builder cacheablePrefix(int messages) {
      if (messages < 0) {
        throw new IllegalArgumentException("cacheablePrefix must be >= 0, got " + messages);
      }
      this.cacheablePrefix = messages;
      return this;
    }

    /**
     * @throws IllegalArgumentException when there is no message, the tool choice names no given
     *     tool, or the cacheable prefix is longer than the messages
     */
    public ChatRequest build() {
      return new ChatRequest(this);
    }
  }
}
