/**
 * Banter's application API: what an application holds and passes around. Start from
 * {@link dev.banter.api.ChatModel} (built by {@code dev.banter.core.Banter}), send
 * {@link dev.banter.api.ChatRequest}s, read {@link dev.banter.api.ChatResponse}s or consume a
 * {@link dev.banter.api.ChatStream}, keep multi-turn state in a {@link dev.banter.api.Conversation},
 * and give answers a personality with a {@link dev.banter.api.Persona}. Every error is a
 * {@link dev.banter.api.BanterException}.
 *
 * <p>This package has no dependencies and uses only what Android API 26 offers (with core-library
 * desugaring), except {@link dev.banter.api.ChatPublishers}, which needs {@code java.util.concurrent.Flow}.
 */
package dev.banter.api;
