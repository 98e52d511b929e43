package dev.banter.core.tools;

import dev.banter.api.ChatResponse;
import java.util.Objects;

/**
 * A typed value read from a model's JSON answer, with the response it came from. Immutable;
 * thread-safe when the value is.
 *
 * <pre>{@code
 * Structured<Weather> s = StructuredChat.of(model).chat(ChatRequest.of("Weather in Oslo?"), Weather.class);
 * Weather w = s.value();
 * System.out.println(s.response().usage() + " after " + s.attempts() + " attempt(s)");
 * }</pre>
 *
 * @param <T> the type of the value
 */
public final class Structured<T> {
  private final T value;
  private final ChatResponse response;
  private final int attempts;

  Structured(T value, ChatResponse response, int attempts) {
    this.value = Objects.requireNonNull(value, "value");
    this.response = Objects.requireNonNull(response, "response");
    this.attempts = attempts;
  }

  /** The value the answer was mapped to. */
  public T value() {
    return value;
  }

  /** The response whose text gave the value (the last one, after any repair). */
  public ChatResponse response() {
    return response;
  }

  /** How many answers it took: 1, or more when repair attempts were needed. */
  public int attempts() {
    return attempts;
  }

  @Override
  public String toString() {
    return "Structured{" + value + ", attempts=" + attempts + '}';
  }
}
