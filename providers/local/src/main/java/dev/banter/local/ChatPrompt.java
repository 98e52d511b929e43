package dev.banter.local;

import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.ModelLoadException;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolSpec;
import dev.banter.local.model.Model;
import dev.banter.local.chat.ChatFormat;
import dev.banter.template.ChatTemplate;
import dev.banter.template.Json;
import dev.banter.template.JsonException;
import dev.banter.template.TemplateException;
import dev.banter.template.TemplateRaisedException;
import dev.banter.template.TemplateSyntaxException;
import dev.banter.local.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Turns a conversation into a model's prompt tokens as llama.cpp's chat layer does: the model's
 * own template ({@code tokenizer.chat_template}, ChatML when it has none) rendered with the
 * messages (tool calls and tool results included), the tools, the vocabulary's BOS and EOS texts
 * and {@code add_generation_prompt}; a leading BOS text dropped when the tokenizer adds BOS itself
 * (and a trailing EOS when it adds EOS), so neither is doubled; then tokenized with control
 * tokens recognised. Thread-safe.
 *
 * <p>Tool-call arguments reach the template as objects (templates write them with
 * {@code arguments | tojson} or walk their keys), except for templates that print them as text:
 * like llama.cpp, the template is probed once with a call whose arguments are an object, and
 * when it prints that object as a Python dict (or fails) but prints arguments given as text
 * verbatim, arguments are passed as their JSON text.
 */
final class ChatPrompt {
  private static final Logger LOG = Logger.getLogger(ChatPrompt.class.getName());

  private static final String PROBE = "banter-probe-value";

  private final ChatTemplate template;
  private final Tokenizer tokenizer;
  private final String bos;
  private final String eos;
  private final boolean objectArguments;
  private final ChatFormat format;

  private ChatPrompt(ChatTemplate template, String source, Tokenizer tokenizer) {
    this.template = template;
    this.format = ChatFormat.detect(source);
    this.tokenizer = tokenizer;
    this.bos = tokenizer.bos().isPresent() ? tokenizer.tokenText(tokenizer.bos().getAsInt()) : "";
    this.eos = tokenizer.eos().isPresent() ? tokenizer.tokenText(tokenizer.eos().getAsInt()) : "";
    this.objectArguments = takesObjectArguments(template, bos, eos);
  }

  /**
   * The prompt format of {@code model}.
   *
   * @throws ModelLoadException if the model's template does not parse
   */
  static ChatPrompt of(Model model) {
    Optional<String> source = model.metadata().chatTemplate();
    if (!source.isPresent() || source.get().trim().isEmpty()) {
      LOG.info(model.name() + " has no chat template (tokenizer.chat_template); prompts use ChatML");
      return new ChatPrompt(ChatTemplate.chatml(), "", model.tokenizer());
    }
    try {
      return new ChatPrompt(ChatTemplate.parse(source.get()), source.get(), model.tokenizer());
    } catch (TemplateSyntaxException e) {
      throw new ModelLoadException(model.path() + ": the chat template (tokenizer.chat_template) does not parse: "
          + e.getMessage(), model.path().toString(), -1, e);
    }
  }

  /**
   * The prompt text for {@code messages}, ending with the assistant's turn opening.
   *
   * @throws InvalidRequestException if the template rejects the conversation (its reason is in
   *     the message) or cannot render it
   */
  String render(List<Message> messages, List<ToolSpec> tools) {
    return render(messages, tools, true);
  }

  /**
   * As {@link #render(List, List)}, with the template variable {@code enable_thinking} set to
   * {@code enableThinking} (Qwen 3 and other reasoning templates then open and close an empty
   * think block, so the model answers at once).
   */
  String render(List<Message> messages, List<ToolSpec> tools, boolean enableThinking) {
    String text = render(template, objectArguments, messages, tools, bos, eos, enableThinking);
    if (tokenizer.addsBos() && !bos.isEmpty() && text.startsWith(bos)) {
      text = text.substring(bos.length());
    }
    if (tokenizer.addsEos() && !eos.isEmpty() && text.endsWith(eos)) {
      text = text.substring(0, text.length() - eos.length());
    }
    return text;
  }

  /**
   * The text {@code template} renders for a conversation, BOS and EOS texts as given, ending with
   * the assistant's turn opening.
   *
   * @param objectArguments whether tool-call arguments go in as objects (else as JSON text); see
   *     {@link #takesObjectArguments}
   * @throws InvalidRequestException if the template rejects the conversation or cannot render it
   */
  static String render(ChatTemplate template, boolean objectArguments, List<Message> messages, List<ToolSpec> tools,
      String bos, String eos, boolean enableThinking) {
    List<Map<String, Object>> list = new ArrayList<>(messages.size());
    for (Message m : messages) {
      list.add(toMap(m, objectArguments));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    if (!tools.isEmpty()) {
      List<Object> specs = new ArrayList<>(tools.size());
      for (ToolSpec t : tools) {
        specs.add(toMap(t));
      }
      extra.put("tools", specs);
    }
    if (!enableThinking) {
      extra.put("enable_thinking", false);
    }
    try {
      return template.render(list, true, bos, eos, extra);
    } catch (TemplateRaisedException e) {
      throw new InvalidRequestException("The model's chat template rejected this conversation: " + e.reason()
          + ". Change the messages (for example their roles or order) to what this model accepts.",
          LocalBackendProvider.ID, "messages", e);
    } catch (TemplateException e) {
      throw new InvalidRequestException("The model's chat template could not render this conversation: "
          + e.getMessage(), LocalBackendProvider.ID, "messages", e);
    }
  }

  /**
   * Whether {@code template} wants tool-call arguments as objects, found as llama.cpp finds it: a
   * conversation with one call is rendered with the arguments as an object and as JSON text. Text
   * only when the object comes out as a Python dict (or not at all, or fails) while the text comes
   * out verbatim; objects otherwise, also for templates that never print calls.
   */
  static boolean takesObjectArguments(ChatTemplate template, String bos, String eos) {
    String asObject = probe(template, true, bos, eos);
    if (asObject != null && asObject.contains(PROBE) && !asObject.contains("'arg': '" + PROBE + "'")) {
      return true;
    }
    String asText = probe(template, false, bos, eos);
    return asText == null || !asText.contains("{\"arg\": \"" + PROBE + "\"}");
  }

  private static String probe(ChatTemplate template, boolean objectArguments, String bos, String eos) {
    List<Message> messages = List.of(Message.user("User message"),
        Message.assistant("", List.of(new ToolCall("call00001", "tool1", "{\"arg\": \"" + PROBE + "\"}"))),
        Message.tool("call00001", "Tool response"), Message.assistant("The tool response was 'tool response'"),
        Message.user("User message"));
    List<ToolSpec> tools = List.of(ToolSpec.of("tool1", "Tool description",
        "{\"type\": \"object\", \"properties\": {\"arg\": {\"type\": \"string\"}}, \"required\": [\"arg\"]}"));
    try {
      return render(template, objectArguments, messages, tools, bos, eos, true);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** How the model lays out its answers (tool calls, reasoning), learned from its template. */
  ChatFormat format() {
    return format;
  }

  /** The tokens of rendered prompt text: BOS as the vocabulary says, control tokens parsed. */
  int[] encode(String text) {
    return tokenizer.encode(text, true, true);
  }

  /** The prompt tokens for {@code messages}: BOS as the vocabulary says, control tokens parsed. */
  int[] tokens(List<Message> messages, List<ToolSpec> tools) {
    return tokens(messages, tools, true);
  }

  /** As {@link #tokens(List, List)}, with {@code enable_thinking} as given (see {@link #render(List, List, boolean)}). */
  int[] tokens(List<Message> messages, List<ToolSpec> tools, boolean enableThinking) {
    return tokenizer.encode(render(messages, tools, enableThinking), true, true);
  }

  private static Map<String, Object> toMap(Message m, boolean objectArguments) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("role", m.role().wireName());
    map.put("content", m.content());
    if (!m.toolCalls().isEmpty()) {
      List<Object> calls = new ArrayList<>(m.toolCalls().size());
      for (ToolCall c : m.toolCalls()) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", c.name());
        function.put("arguments", objectArguments ? jsonOrText(c.arguments()) : c.arguments());
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", c.id());
        call.put("type", "function");
        call.put("function", function);
        calls.add(call);
      }
      map.put("tool_calls", calls);
    }
    m.toolCallId().ifPresent(id -> map.put("tool_call_id", id));
    m.name().ifPresent(n -> map.put("name", n));
    return map;
  }

  private static Map<String, Object> toMap(ToolSpec t) {
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("name", t.name());
    function.put("description", t.description());
    function.put("parameters", jsonOrText(t.parametersSchema()));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("type", "function");
    spec.put("function", function);
    return spec;
  }

  /** A JSON object as a map (templates read arguments by key), anything else as its text. */
  private static Object jsonOrText(String json) {
    try {
      Object parsed = Json.parse(json);
      return parsed instanceof Map ? parsed : json;
    } catch (JsonException e) {
      return json;
    }
  }
}
