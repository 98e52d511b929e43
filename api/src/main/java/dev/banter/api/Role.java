package dev.banter.api;

/**
 * Who wrote a {@link Message}. Immutable.
 *
 * <pre>{@code
 * Message m = Message.of(Role.USER, "Hi!");
 * assert m.role() == Role.USER;
 * }</pre>
 */
public enum Role {
  /** Instructions that frame the conversation; a persona's prompt is one. */
  SYSTEM,
  /** The person talking to the model. */
  USER,
  /** The model; may carry tool calls instead of, or besides, text. */
  ASSISTANT,
  /** The result of a tool call, answering the assistant message that asked for it. */
  TOOL;

  /** The lower-case name used by chat templates and the OpenAI protocol ({@code "user"}). */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Parses a wire name such as {@code "assistant"}, ignoring case.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static Role parse(String name) {
    for (Role r : values()) {
      if (r.name().equalsIgnoreCase(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "Unknown role '" + name + "'. Use one of: system, user, assistant, tool.");
  }
}
