package dev.banter.api;

import java.util.Objects;

/**
 * A few-shot example for a {@link Persona}: a user message and the answer the persona would
 * give. Immutable and thread-safe.
 *
 * <pre>{@code
 * Exchange e = new Exchange("Is water wet?", "Wet enough to ruin your socks, which is the scientific threshold.");
 * }</pre>
 *
 * @param user what the user says
 * @param assistant how the persona answers
 */
public record Exchange(String user, String assistant) {
  /** @throws IllegalArgumentException if either text is blank */
  public Exchange {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(assistant, "assistant");
    if (user.trim().isEmpty() || assistant.trim().isEmpty()) {
      throw new IllegalArgumentException("an example exchange needs non-blank user and assistant text");
    }
  }
}
