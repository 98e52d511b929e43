package dev.banter.api;

import java.util.Objects;

/**
 * A few-shot example for a {@link Persona}: a user message and the answer the persona would
 * give. Immutable and thread-safe.
 *
 * <pre>{@code
 * Exchange e = new Exchange("Is water wet?", "Wet enough to ruin your socks, which is the scientific threshold.");
 * }</pre>
 */
public final class Exchange {
  private final String user;
  private final String assistant;

  public Exchange(String user, String assistant) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(assistant, "assistant");
    if (user.trim().isEmpty() || assistant.trim().isEmpty()) {
      throw new IllegalArgumentException("an example exchange needs non-blank user and assistant text");
    }
    this.user = user;
    this.assistant = assistant;
  }

  /** What the user says. */
  public String user() {
    return user;
  }

  /** How the persona answers. */
  public String assistant() {
    return assistant;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Exchange)) {
      return false;
    }
    Exchange o = (Exchange) other;
    return user.equals(o.user)
        && assistant.equals(o.assistant);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(user, assistant);
  }

  @Override
  public String toString() {
    return "Exchange[" + "user=" + user + ", " + "assistant=" + assistant + "]";
  }
}
