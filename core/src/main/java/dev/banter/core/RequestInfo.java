package dev.banter.core;

import dev.banter.api.ChatRequest;
import java.util.Objects;

/**
 * What a {@link ChatObserver} learns about a call: a per-runtime sequence number, the request as
 * the backend receives it (persona rendered), the persona's id and whether it streams.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * public void onRequest(RequestInfo r) {
 *   log.info("#" + r.id() + " persona=" + r.personaId() + " messages=" + r.request().messages().size());
 * }
 * }</pre>
 */
public final class RequestInfo {
  private final long id;
  private final ChatRequest request;
  private final String personaId;
  private final boolean streaming;

  RequestInfo(long id, ChatRequest request, String personaId, boolean streaming) {
    this.id = id;
    this.request = Objects.requireNonNull(request, "request");
    this.personaId = Objects.requireNonNull(personaId, "personaId");
    this.streaming = streaming;
  }

  /** Increasing number of the call within one {@code ChatModel}. */
  public long id() {
    return id;
  }

  /** The request as sent to the backend: persona system prompt, examples and options applied. */
  public ChatRequest request() {
    return request;
  }

  /** The persona's id, or empty when the request went out without a persona. */
  public String personaId() {
    return personaId;
  }

  public boolean streaming() {
    return streaming;
  }

  @Override
  public String toString() {
    return "RequestInfo{#" + id + ", persona=" + personaId + ", streaming=" + streaming + '}';
  }
}
