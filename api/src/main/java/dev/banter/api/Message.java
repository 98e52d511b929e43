package dev.banter.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of a chat: a role, text, and for the assistant any tool calls, for a tool result
 * the id of the call it answers. Immutable and thread-safe.
 *
 * <pre>{@code
 * List<Message> chat = List.of(
 *     Message.system("You are terse."),
 *     Message.user("Capital of Norway?"),
 *     Message.assistant("Oslo."));
 * }</pre>
 */
public final class Message {
  private final Role role;
  private final String content;
  private final List<ToolCall> toolCalls;
  private final String toolCallId;
  private final String name;

  private Message(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {
    this.role = Objects.requireNonNull(role, "role");
    this.content = Objects.requireNonNull(content, "content");
    this.toolCalls = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(toolCalls, "toolCalls")));
    this.toolCallId = toolCallId;
    this.name = name;
    if (!this.toolCalls.isEmpty() && role != Role.ASSISTANT) {
      throw new IllegalArgumentException("only assistant messages carry tool calls, got role " + role);
    }
    if (role == Role.TOOL && (toolCallId == null || toolCallId.isEmpty())) {
      throw new IllegalArgumentException("a tool message needs the id of the tool call it answers");
    }
    if (role != Role.TOOL && toolCallId != null) {
      throw new IllegalArgumentException("only tool messages carry a toolCallId, got role " + role);
    }
  }

  /** A message with a role and text. For tool results use {@link #tool(String, String)}. */
  public static Message of(Role role, String content) {
    return new Message(role, content, List.of(), null, null);
  }

  public static Message system(String content) {
    return of(Role.SYSTEM, content);
  }

  public static Message user(String content) {
    return of(Role.USER, content);
  }

  public static Message assistant(String content) {
    return of(Role.ASSISTANT, content);
  }

  /** An assistant message asking for tool calls, with optional text alongside (may be empty). */
  public static Message assistant(String content, List<ToolCall> toolCalls) {
    return new Message(Role.ASSISTANT, content, toolCalls, null, null);
  }

  /** The result of the tool call with id {@code toolCallId}. */
  public static Message tool(String toolCallId, String content) {
    return new Message(Role.TOOL, content, List.of(), Objects.requireNonNull(toolCallId, "toolCallId"), null);
  }

  /** The same message carrying a participant name (OpenAI's {@code name} field). */
  public Message withName(String name) {
    return new Message(role, content, toolCalls, toolCallId, Objects.requireNonNull(name, "name"));
  }

  /** The same message with other text. */
  public Message withContent(String content) {
    return new Message(role, content, toolCalls, toolCallId, name);
  }

  public Role role() {
    return role;
  }

  /** The text; empty (never null) when an assistant message only carries tool calls. */
  public String content() {
    return content;
  }

  /** The tool calls of an assistant message; empty for every other message. */
  public List<ToolCall> toolCalls() {
    return toolCalls;
  }

  /** For a {@link Role#TOOL} message, the id of the call it answers. */
  public Optional<String> toolCallId() {
    return Optional.ofNullable(toolCallId);
  }

  /** An optional participant name. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Message m)) {
      return false;
    }
    return m.role == role
        && m.content.equals(content)
        && m.toolCalls.equals(toolCalls)
        && Objects.equals(m.toolCallId, toolCallId)
        && Objects.equals(m.name, name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, content, toolCalls, toolCallId, name);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(role.wireName()).append(": ");
    sb.append(content.length() > 80 ? content.substring(0, 80) + "..." : content);
    if (!toolCalls.isEmpty()) {
      sb.append(" ").append(toolCalls);
    }
    if (toolCallId != null) {
      sb.append(" (answers ").append(toolCallId).append(')');
    }
    return sb.toString();
  }
}
