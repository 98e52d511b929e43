package dev.banter.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.AuthenticationException;
import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.ModelLoadException;
import dev.banter.api.RateLimitedException;
import java.time.Duration;

/**
 * An error as the server half answers it: an HTTP status and OpenAI's error object
 * {@code {"error":{"message","type","param","code"}}}, with a {@code Retry-After} for 429 and 503.
 */
final class ServerError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String type;
  final String param;
  final String code;
  final transient Duration retryAfter;

  ServerError(int status, String type, String param, String code, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  static ServerError invalid(String message, String param) {
    return new ServerError(400, "invalid_request_error", param, null, message, null);
  }

  /**
   * A parameter named as the Java API names it ({@code responseFormat}, {@code maxTokens}) in
   * the wire form clients sent ({@code response_format}, {@code max_tokens}); stop sequences are
   * {@code stop} on the wire. Names already in wire form pass unchanged.
   */
  static String wireParam(String javaName) {
    if (javaName.equals("stopSequences")) {
      return "stop";
    }
    StringBuilder sb = new StringBuilder(javaName.length() + 4);
    for (int i = 0; i < javaName.length(); i++) {
      char c = javaName.charAt(i);
      if (Character.isUpperCase(c)) {
        sb.append('_').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The answer for a failure of the model behind the server. */
  static ServerError of(BanterException e) {
    String message = e.getMessage();
    if (e instanceof ContextLengthExceededException c) {
      String detail = c.contextLimit().isPresent()
          ? "This model's maximum context length is " + c.contextLimit().getAsInt() + " tokens"
              + (c.promptTokens().isPresent() ? ". However, your messages resulted in " + c.promptTokens().getAsInt()
                  + " tokens." : ".")
          : "The messages exceed the model's maximum context length.";
      return new ServerError(400, "invalid_request_error", "messages", "context_length_exceeded",
          detail + " " + message, null);
    }
    if (e instanceof InvalidRequestException exception) {
      String param = exception.parameter().map(ServerError::wireParam).orElse(null);
      return new ServerError(400, "invalid_request_error", param, null, message, null);
    }
    if (e instanceof RateLimitedException exception) {
      Duration wait = exception.retryAfter().orElse(Duration.ofSeconds(1));
      return new ServerError(429, "rate_limit_error", null, "rate_limit_exceeded", message, wait);
    }
    if (e instanceof AuthenticationException) {
      return new ServerError(502, "api_error", null, "upstream_authentication_failed",
          "The model behind this server could not authenticate with its own backend: " + message, null);
    }
    if (e instanceof BackendUnavailableException || e instanceof ModelLoadException) {
      return new ServerError(503, "api_error", null, "unavailable", message, Duration.ofSeconds(1));
    }
    return new ServerError(500, "api_error", null, null, message, null);
  }

  ObjectNode body() {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("message", getMessage());
    error.put("type", type);
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return root;
  }
}
