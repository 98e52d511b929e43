/**
 * Banter's application API: what an application holds and passes around. Start from
 * {@link dev.banter.api.ChatModel} (built by {@code dev.banter.core.Banter}), send
 * {@link dev.banter.api.ChatRequest}s, read {@link dev.banter.api.ChatResponse}s or consume a
 * {@link dev.banter.api.ChatStream}, keep multi-turn state in a {@link dev.banter.api.Conversation},
 * and give answers a personality with a {@link dev.banter.api.Persona}. Every error is a
 * {@link dev.banter.api.BanterException}.
 *
 * <p><b>Absence.</b> A value that may be missing is an {@link java.util.Optional} (or
 * {@code OptionalInt}, {@code OptionalLong}, {@code OptionalDouble}): no accessor returns
 * {@code null}, an empty string or {@code -1} to mean "not there". Text is never missing: a
 * message's content, a chunk's text or a persona's description may be empty text, which is a
 * text. Collections are empty, never {@code null}. Exception constructors take {@code null} for
 * what is not known, as Java's own take a {@code null} cause; their accessors return
 * {@code Optional}s.
 *
 * <p>This package has no dependencies and uses only what Android API 26 offers (with core-library
 * desugaring; records are desugared by Android's D8), except {@link dev.banter.api.ChatPublishers},
 * which needs {@code java.util.concurrent.Flow}.
 */
package dev.banter.api;
