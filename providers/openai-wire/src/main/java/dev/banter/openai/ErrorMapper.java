package dev.banter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.AuthenticationException;
import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.RateLimitedException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an HTTP error (status, headers, body) or an in-band {@code {"error":...}} event into the
 * api's exception. Reads every error body shape in circulation: OpenAI's nested object (also
 * vLLM, llama.cpp, Ollama, with {@code code} a string, an int or null), TGI's and xAI's flat
 * {@code "error": "<text>"}, SGLang's flat {@code "object": "error"}, and plain text.
 */
final class ErrorMapper {
  private static final Pattern[] LIMIT = {
      Pattern.compile("maximum context length (?:is|of) (\\d+)"),
      Pattern.compile("context length \\((\\d+) tokens\\)"),
      Pattern.compile("context size \\((\\d+) tokens\\)"),
      Pattern.compile("max context size \\((\\d+) tokens\\)"),
      Pattern.compile("must be <= (\\d+)"),
      Pattern.compile("must have less than (\\d+) tokens"),
  };
  private static final Pattern[] PROMPT = {
      Pattern.compile("\\((\\d+) in the messages"),
      Pattern.compile("has (\\d+) input tokens"),
      Pattern.compile("Given: (\\d+) `inputs` tokens"),
      Pattern.compile("tokens\\. Given: (\\d+)"),
      Pattern.compile("input \\((\\d+) tokens\\)"),
      Pattern.compile("request \\((\\d+) tokens\\)"),
      Pattern.compile("(\\d+) tokens from the input"),
      Pattern.compile("messages resulted in (\\d+) tokens"),
  };

  private final String backendId;
  private final String authHint;
  private final Redactor redactor;

  ErrorMapper(String backendId, String authHint, Redactor redactor) {
    this.backendId = backendId;
    this.authHint = authHint;
    this.redactor = redactor;
  }

  /** The fields of an error body, whatever its shape. */
  static final class Details {
    String message = "";
    String type = "";
    String param;
    String code = "";
    int status;
    int promptTokens = -1;
    int contextLimit = -1;
  }

  /** Reads an error body; a body that is not JSON becomes the message. */
  static Details parse(String body) {
    Details d = new Details();
    JsonNode root = null;
    try {
      root = body == null || body.trim().isEmpty() ? null : Json.tree(body);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      d.message = body == null ? "" : Json.excerpt(body, 500);
      return d;
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      read(error, d);
    } else if (error != null && error.isTextual()) {
      d.message = error.textValue();
      d.type = Json.text(root.get("error_type"));
      String code = Json.text(root.get("code"));
      if (d.type.isEmpty()) {
        d.type = code;
      } else {
        d.code = code;
      }
    } else if ("error".equals(Json.text(root.get("object"))) || root.has("message")) {
      read(root, d);
    } else {
      d.message = Json.excerpt(body, 500);
    }
    return d;
  }

  private static void read(JsonNode error, Details d) {
    d.message = Json.text(error.get("message"));
    d.type = Json.text(error.get("type"));
    String param = Json.text(error.get("param"));
    d.param = param.isEmpty() ? null : param;
    JsonNode code = error.get("code");
    if (code != null && code.isInt()) {
      d.status = code.intValue();
    } else {
      d.code = Json.text(code);
    }
    JsonNode http = error.get("http_status_code");
    if (http != null && http.canConvertToInt()) {
      d.status = http.intValue();
    }
    JsonNode n = error.get("n_prompt_tokens");
    if (n != null && n.canConvertToInt()) {
      d.promptTokens = n.intValue();
    }
    JsonNode ctx = error.get("n_ctx");
    if (ctx != null && ctx.canConvertToInt()) {
      d.contextLimit = ctx.intValue();
    }
  }

  /**
   * Maps an HTTP error response.
   *
   * @param retryAfter the wait the response asked for, or {@code null}
   */
  BanterException fromResponse(int status, String body, Duration retryAfter, String where) {
    Details d = parse(body);
    return map(status, d, retryAfter, where, "HTTP " + status);
  }

  /** Maps an {@code {"error": ...}} event that arrived inside a 200 stream. */
  BanterException fromStreamEvent(String eventJson, String where) {
    Details d = parse(eventJson);
    int status = d.status > 0 ? d.status : statusOfType(d.type);
    return map(status, d, null, where, "an error event in the stream");
  }

  private static int statusOfType(String type) {
    return switch (type) {
      case "invalid_request_error", "BadRequestError", "validation" -> 400;
      case "authentication_error" -> 401;
      case "not_found_error", "NotFoundError" -> 404;
      case "rate_limit_error" -> 429;
      default -> 0;
    };
  }

  private BanterException map(int status, Details d, Duration retryAfter, String where, String what) {
    String message = redactor.apply(d.message.isEmpty() ? "(no message)" : d.message);
    String lower = message.toLowerCase(Locale.ROOT);
    String serverSays = " The server said: " + Json.excerpt(message, 500);
    if (status == 401 || status == 403 || "authentication_error".equals(d.type) || "invalid_api_key".equals(d.code)
        || (status == 400 && lower.contains("api key") && (lower.contains("incorrect") || lower.contains("invalid")))) {
      return new AuthenticationException("Backend '" + backendId + "' at " + where + " rejected the credentials ("
          + what + ")." + serverSays + " " + authHint, backendId, null);
    }
    if (status == 429 || "rate_limit_exceeded".equals(d.code) || "overloaded".equals(d.type)) {
      return new RateLimitedException("Backend '" + backendId + "' at " + where + " is rate limiting (" + what + ")"
          + (retryAfter == null ? "" : "; it asked to wait " + retryAfter.toMillis() + " ms") + "." + serverSays
          + " Slow down or retry later.", backendId, retryAfter, null);
    }
    boolean clientError = status == 400 || status == 413 || status == 422 || status == 0;
    if (clientError && isContextOverflow(d, lower)) {
      int prompt = d.promptTokens >= 0 ? d.promptTokens : firstNumber(PROMPT, message);
      int limit = d.contextLimit >= 0 ? d.contextLimit : firstNumber(LIMIT, message);
      return new ContextLengthExceededException("The prompt does not fit the context window of backend '" + backendId
          + "'" + (prompt >= 0 ? ": " + prompt + " prompt tokens" : "") + (limit >= 0 ? ", limit " + limit : "")
          + " (" + what + ")." + serverSays + " Shorten the conversation or lower maxTokens.",
          backendId, prompt, limit, null);
    }
    if (status >= 400 && status < 500 && status != 408 && status != 409) {
      String param = d.param;
      if (param == null && status == 404 && (lower.contains("model") || "model_not_found".equals(d.code))) {
        param = "model";
      }
      return new InvalidRequestException("Backend '" + backendId + "' at " + where + " refused the request ("
          + what + (param == null ? "" : ", parameter '" + param + "'") + ")." + serverSays
          + " Change the request; repeating it will not help.", backendId, param, null);
    }
    if (status == 0) {
      return new BackendUnavailableException("Backend '" + backendId + "' at " + where + " reported "
          + what + "." + serverSays, backendId, null);
    }
    return new BackendUnavailableException("Backend '" + backendId + "' at " + where + " failed (" + what + ")."
        + serverSays + (status == 503 ? " The server may still be loading its model; retry later." : ""),
        backendId, null);
  }

  private static boolean isContextOverflow(Details d, String lower) {
    return "context_length_exceeded".equals(d.code)
        || "exceed_context_size_error".equals(d.type)
        || lower.contains("maximum context length")
        || lower.contains("context length")
        || lower.contains("exceeds the available context size")
        || lower.contains("larger than the max context size")
        || lower.contains("`inputs` tokens + `max_new_tokens`")
        || lower.contains("`inputs` must have less than")
        || lower.contains("input length exceeds");
  }

  private static int firstNumber(Pattern[] patterns, String message) {
    for (Pattern p : patterns) {
      Matcher m = p.matcher(message);
      if (m.find()) {
        try {
          return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }
}
