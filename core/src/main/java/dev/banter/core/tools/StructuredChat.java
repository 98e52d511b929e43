package dev.banter.core.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.api.ResponseFormat;
import dev.banter.api.StructuredOutputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Asks a model for JSON matching the schema of a Java type and returns the typed value. Works
 * on every backend: the request carries a strict JSON Schema response format, which backends that
 * enforce schemas (the local engine's grammar, OpenAI's strict mode) obey exactly; for the rest,
 * the answer is checked against the schema here, and a failed answer is sent back to the model
 * with the problem for a repair (once by default). Thread-safe when the model is; share one.
 *
 * <pre>{@code
 * record Weather(String city, double celsius, List<String> warnings) {}
 * StructuredChat structured = StructuredChat.of(model);
 * Weather w = structured.value(ChatRequest.of("Weather in Oslo, as JSON?"), Weather.class);
 * Structured<Weather> s = structured.chat(ChatRequest.of("And Bergen?"), Weather.class); // with the response
 * }</pre>
 *
 * <p>A backend that refuses JSON response formats (an {@link InvalidRequestException} about the
 * response format, as the local engine gives before its grammar support) is asked again in words:
 * without the format, with the schema written into the last user message; the answer is then
 * checked the same way. A request that also carries tools may be answered with tool calls
 * instead of JSON; run those with a {@link ToolLoop} first.
 *
 * <p>The schema is {@link JsonSchemas#strict}: every property required, optional ones nullable.
 * The answer is accepted when it is JSON (a surrounding Markdown code fence is tolerated), matches
 * the schema ({@code required}, types, enums, no unknown properties, {@link Range}/{@link Size}/
 * {@link Pattern} constraints) and Jackson maps it to the type. Each repair is one more model call,
 * billed like any other.
 */
public final class StructuredChat {
  private final ChatModel model;
  private final int repairAttempts;
  private final boolean schemaInPrompt;

  private StructuredChat(Builder b) {
    this.model = b.model;
    this.repairAttempts = b.repairAttempts;
    this.schemaInPrompt = b.schemaInPrompt;
  }

  /** Structured output on {@code model}, with one repair attempt. */
  public static StructuredChat of(ChatModel model) {
    return builder(model).build();
  }

  /** Configures structured output on {@code model}. */
  public static Builder builder(ChatModel model) {
    return new Builder(model);
  }

  /**
   * Sends {@code request} with the JSON Schema of {@code type} as its response format (replacing
   * any format it had) and maps the answer to {@code type}.
   *
   * @throws StructuredOutputException when the last answer is no JSON, breaks the schema or does not
   *     map to the type, after the repair attempts; it holds the answer's text
   * @throws IllegalArgumentException when {@code type} is not a record or class with properties
   * @throws dev.banter.api.ConfigurationException when Jackson cannot create {@code type} at all (no
   *     usable constructor, or its package not opened to Jackson on the module path)
   * @throws dev.banter.api.BanterException when a model call fails; nothing is retried here beyond
   *     what the model itself does, except that a refused response format is asked for in words
   */
  public <T> Structured<T> chat(ChatRequest request, Class<T> type) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(type, "type");
    String schema = JsonSchemas.strict(type);
    ObjectNode schemaTree = JsonSchemas.tree(schema);
    String name = schemaName(type);
    if (!SchemaGenerator.describesObject(schemaTree)) {
      throw new IllegalArgumentException("Structured output needs a record or class with properties, since"
          + " backends require a JSON object at the top; got " + type.getName() + ". Wrap it, e.g. record "
          + name + "Answer(" + type.getSimpleName() + " value) {}.");
    }
    ChatRequest next = request.toBuilder().responseFormat(ResponseFormat.jsonSchema(name, schema, true))
        .messages(schemaInPrompt ? withSchemaInPrompt(request.messages(), schema) : request.messages())
        .build();
    boolean formatRefused = false;
    for (int attempt = 1; ; attempt++) {
      ChatResponse response;
      try {
        response = model.chat(next);
      } catch (InvalidRequestException e) {
        if (formatRefused || !refusesFormat(e)) {
          throw e;
        }
        // A backend without JSON modes: ask in words, and let the check below hold the answer to it.
        formatRefused = true;
        next = next.toBuilder().responseFormat(ResponseFormat.text())
            .messages(schemaInPrompt ? next.messages() : withSchemaInPrompt(next.messages(), schema)).build();
        attempt--;
        continue;
      }
      String text = response.text();
      String problem;
      Throwable cause = null;
      try {
        JsonNode tree = ToolJson.MAPPER.readTree(unfenced(text));
        List<String> problems = tree == null || tree.isMissingNode()
            ? List.of("the answer is empty") : SchemaValidator.validate(schemaTree, tree);
        if (problems.isEmpty()) {
          return new Structured<>(ToolJson.MAPPER.treeToValue(tree, type), response, attempt);
        }
        problem = String.join("; ", problems);
      } catch (InvalidDefinitionException e) {
        throw ToolJson.unmappable(type, e);
      } catch (JsonProcessingException e) {
        cause = e;
        problem = text.trim().isEmpty() ? "the answer is empty"
            : (e instanceof com.fasterxml.jackson.core.JsonParseException ? "no valid JSON: " : "")
                + e.getOriginalMessage();
      }
      if (response.finishReason() == FinishReason.LENGTH) {
        problem += " (the answer was cut off at the token limit; raise maxTokens)";
      }
      if (attempt > repairAttempts) {
        throw new StructuredOutputException(name, problem, text, attempt, response.backendId().orElse(null), cause);
      }
      next = next.toBuilder()
          .message(Message.assistant(text))
          .user("That answer does not match the required JSON schema: " + problem
              + ". Reply again with only the corrected JSON object.")
          .build();
    }
  }

  /**
   * The value alone; see {@link #chat(ChatRequest, Class)}.
   *
   * @throws StructuredOutputException when the answer does not give a {@code type} after the repair attempts
   */
  public <T> T value(ChatRequest request, Class<T> type) {
    return chat(request, type).value();
  }

  /** The value for one user message; see {@link #chat(ChatRequest, Class)}. */
  public <T> T value(String userMessage, Class<T> type) {
    return chat(ChatRequest.of(userMessage), type).value();
  }

  private static boolean refusesFormat(InvalidRequestException e) {
    String p = e.parameter().orElse("");
    return p.equals("responseFormat") || p.equals("response_format");
  }

  /** The messages with the last user message asking for JSON matching {@code schema}. */
  static List<Message> withSchemaInPrompt(List<Message> messages, String schema) {
    List<Message> out = new ArrayList<>(messages);
    String ask = "Answer with only a JSON object that matches this JSON Schema, and nothing else:\n" + schema;
    for (int i = out.size() - 1; i >= 0; i--) {
      Message m = out.get(i);
      if (m.role() == Role.USER) {
        out.set(i, m.withContent(m.content() + "\n\n" + ask));
        return out;
      }
    }
    out.add(Message.user(ask));
    return out;
  }

  /** A schema name from the type's simple name, made to fit {@code [A-Za-z0-9_-]{1,64}}. */
  static String schemaName(Class<?> type) {
    String n = type.getSimpleName().replaceAll("[^A-Za-z0-9_-]", "_");
    if (n.isEmpty()) {
      n = "answer";
    }
    return n.length() > 64 ? n.substring(0, 64) : n;
  }

  /** The text without a surrounding Markdown code fence, which models without enforcement like to add. */
  static String unfenced(String text) {
    String t = text.trim();
    if (t.startsWith("```")) {
      int firstLine = t.indexOf('\n');
      int close = t.lastIndexOf("```");
      if (firstLine > 0 && close > firstLine) {
        return t.substring(firstLine + 1, close).trim();
      }
    }
    return t;
  }

  /**
   * Settings for a {@link StructuredChat}. Not thread-safe.
   *
   * <pre>{@code
   * StructuredChat strictOnly = StructuredChat.builder(model).repairAttempts(0).build();
   * }</pre>
   */
  public static final class Builder {
    private final ChatModel model;
    private int repairAttempts = 1;
    private boolean schemaInPrompt;

    private Builder(ChatModel model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * How many times a failed answer is sent back to the model with the problem (default 1; 0 fails
     * at the first bad answer).
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder repairAttempts(int repairAttempts) {
      if (repairAttempts < 0) {
        throw new IllegalArgumentException("repairAttempts must be >= 0, got " + repairAttempts);
      }
      this.repairAttempts = repairAttempts;
      return this;
    }

    /**
     * Also writes the schema into the last user message (default off). For backends that accept a
     * JSON Schema response format without enforcing it, and models that need to be told; costs the
     * schema's tokens on every call. A backend that refuses the format gets the schema in the prompt
     * regardless.
     */
    public Builder schemaInPrompt(boolean schemaInPrompt) {
      this.schemaInPrompt = schemaInPrompt;
      return this;
    }

    public StructuredChat build() {
      return new StructuredChat(this);
    }
  }
}
