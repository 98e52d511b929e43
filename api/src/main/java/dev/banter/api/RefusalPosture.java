package dev.banter.api;

/**
 * How a {@link Persona} handles questions it should not fully answer. Immutable.
 *
 * <pre>{@code
 * Persona p = Persona.builder("guide").systemPrompt("You guide museum visitors.")
 *     .refusalPosture(RefusalPosture.CAUTIOUS).build();
 * }</pre>
 */
public enum RefusalPosture {
  /** Declines anything doubtful, briefly and politely. */
  CAUTIOUS,
  /** Answers what is safe to answer, declines the rest, and says why. */
  BALANCED,
  /** Takes on edgy or spicy questions with candour, refusing only what is genuinely harmful. */
  CANDID
}
