package dev.banter.core;

import dev.banter.api.ChatRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ChatObserver} learns about a call. Immutable and thread-safe.
 *
 * <pre>{@code
 * public void onRequest(RequestInfo r) {
 *   log.info("#" + r.id() + " persona=" + r.personaId().orElse("none") + " messages=" + r.request().messages().size());
 * }
 * }</pre>
 *
 * @param id increasing number of the call within one {@code ChatModel}
 * @param request the request as sent to the backend: persona system prompt, examples and options applied
 * @param personaId the persona's id, when the request went out with a persona
 * @param streaming whether the call streams
 */
public record RequestInfo(long id, ChatRequest request, Optional<String> personaId, boolean streaming) {
  public RequestInfo {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(personaId, "personaId");
  }
}
