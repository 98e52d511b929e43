package dev.banter.openai;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the server for each attempt of a request, for clients that spread requests over
 * several servers. The client calls {@link #acquire} before each attempt and {@link #release}
 * exactly once after it, whatever the outcome; when an attempt fails before any part of an
 * answer reached the caller with a retryable error, the client acquires another endpoint (one not
 * yet tried for this request) and tries again. Implementations must be thread-safe.
 *
 * <pre>{@code
 * EndpointSelector one = EndpointSelector.single(Endpoint.parse("http://localhost:8080/v1"));
 * OpenAiClient client = OpenAiClient.builder("inference-server").endpoints(one).build();
 * }</pre>
 */
public interface EndpointSelector {
  /**
   * The endpoint for the next attempt, not one of {@code tried}; empty when no endpoint is left.
   */
  Optional<Endpoint> acquire(Set<Endpoint> tried);

  /**
   * An attempt on {@code endpoint} ended.
   *
   * @param reachable false when the server could not be reached or said it cannot serve
   *     (connection refused or reset before the response, connect timeout, HTTP 503)
   */
  void release(Endpoint endpoint, boolean reachable);

  /** All endpoints, in configuration order. */
  List<Endpoint> all();

  /** A selector that always answers with {@code endpoint}. */
  static EndpointSelector single(Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    List<Endpoint> all = List.of(endpoint);
    return new EndpointSelector() {
      @Override
      public Optional<Endpoint> acquire(Set<Endpoint> tried) {
        return tried.contains(endpoint) ? Optional.empty() : Optional.of(endpoint);
      }

      @Override
      public void release(Endpoint e, boolean reachable) {}

      @Override
      public List<Endpoint> all() {
        return all;
      }

      @Override
      public String toString() {
        return endpoint.toString();
      }
    };
  }
}
