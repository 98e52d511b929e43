package dev.banter.template;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed chat template: the Jinja template a model ships in its GGUF metadata
 * ({@code tokenizer.chat_template}) that turns a conversation into the model's prompt text. Renders
 * as llama.cpp's Jinja engine and Hugging Face's {@code apply_chat_template} do: Jinja's language
 * with {@code trim_blocks} and {@code lstrip_blocks}, Python's value semantics, and the globals
 * {@code raise_exception} and {@code strftime_now}. The engine covers the Jinja that real chat
 * templates use; a template that uses anything else (a filter such as {@code title}, the
 * {@code /} operator, a {@code with} block, ...) fails with a {@link TemplateException} naming it.
 * Immutable and thread-safe: parse once, render from any thread.
 *
 * <pre>{@code
 * ChatTemplate template = ChatTemplate.parse(ggufChatTemplate);
 * List<Map<String, String>> messages = List.of(
 *     Map.of("role", "system", "content", "You are Banter."),
 *     Map.of("role", "user", "content", "Hello!"));
 * String prompt = template.render(messages, true, "<s>", "</s>", Map.of());
 * }</pre>
 *
 * <p>Values passed in are strings, numbers, booleans, {@code null}, lists and maps (maps keep
 * their iteration order), nested as templates expect: a message's {@code tool_calls} as a list of
 * maps with a {@code function} map holding {@code name} and {@code arguments} (a map or a JSON
 * string). Values are copied, so a template never changes the caller's data. Rendering is bounded:
 * a template that loops without end, recurses too deeply or produces too much text fails with a
 * {@link TemplateException} instead of hanging or exhausting memory.
 */
public final class ChatTemplate {
  /**
   * The ChatML template used when a model has none, rendering {@code <|im_start|>role\ncontent<|im_end|>\n}
   * per message and {@code <|im_start|>assistant\n} as the generation prompt, as llama.cpp does.
   */
  public static final String CHATML = """
      {%- for message in messages -%}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' -}}
      {%- endfor -%}
      {%- if add_generation_prompt -%}
        {{- '<|im_start|>assistant\\n' -}}
      {%- endif -%}""";

  private final String source;
  private final String normalized;
  private final Stmt[] body;
  private final Clock clock;
  private volatile Boolean systemRole;

  private ChatTemplate(String source, String normalized, Stmt[] body, Clock clock, Boolean systemRole) {
    this.source = source;
    this.normalized = normalized;
    this.body = body;
    this.clock = clock;
    this.systemRole = systemRole;
  }

  /**
   * Parses a template; the clock for {@code strftime_now} is the system clock in the default time
   * zone until {@link #withClock(Clock)} says otherwise.
   *
   * @throws TemplateSyntaxException with the line and column of the first problem
   */
  public static ChatTemplate parse(String source) {
    Objects.requireNonNull(source, "source");
    if (source.length() > Limits.MAX_SOURCE_CHARS) {
      throw new TemplateSyntaxException("the template has " + source.length() + " chars; at most "
          + Limits.MAX_SOURCE_CHARS + " are accepted", 0, 0);
    }
    String normalized = Lexer.normalize(source);
    Stmt[] body;
    try {
      body = Parser.parse(normalized);
    } catch (StackOverflowError e) {
      throw new TemplateSyntaxException("the template nests too deeply to parse on this thread's stack", 0, 0);
    }
    return new ChatTemplate(source, normalized, body, Clock.systemDefaultZone(), null);
  }

  /** The {@link #CHATML} template, parsed. */
  public static ChatTemplate chatml() {
    return parse(CHATML);
  }

  /** This template with {@code strftime_now} and the date variables reading {@code clock}. */
  public ChatTemplate withClock(Clock clock) {
    return new ChatTemplate(source, normalized, body, Objects.requireNonNull(clock, "clock"), systemRole);
  }

  /** The template source as given to {@link #parse(String)}. */
  public String source() {
    return source;
  }

  /**
   * Renders with exactly the given variables (for example {@code messages}, {@code bos_token},
   * {@code add_generation_prompt}, {@code tools}).
   *
   * @throws TemplateRaisedException when the template calls {@code raise_exception}
   * @throws TemplateException when rendering fails otherwise, or a value has an unsupported type
   */
  public String render(Map<String, ?> context) {
    Objects.requireNonNull(context, "context");
    Map<String, Object> variables = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : context.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "context key");
      try {
        variables.put(name, Inputs.copy(e.getValue(), name, 0));
      } catch (EvalError error) {
        throw new TemplateException("cannot pass this value to the chat template: " + error.getMessage(), 0, 0, null);
      }
    }
    return renderImported(variables, null);
  }

  /**
   * Renders a conversation the way llama.cpp's chat layer prepares it: the variables
   * {@code messages}, {@code bos_token}, {@code eos_token}, {@code enable_thinking} (true),
   * {@code date_string} ({@code "28 Nov 2026"}) and {@code datetime} ({@code "Nov 28 2026"}) from the
   * clock, then {@code extra} (which may override them; an empty {@code tools} list counts as no
   * tools and is left out), then {@code add_generation_prompt} when true. A {@code developer}
   * message is passed as {@code system}, and when the template ignores system messages (see
   * {@link #supportsSystemRole()}) a leading system message is joined to the next message with a
   * newline.
   *
   * @param messages maps with at least {@code role} and {@code content}
   * @throws TemplateRaisedException when the template rejects the conversation
   * @throws TemplateException when rendering fails otherwise
   */
  public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, String bosToken,
      String eosToken, Map<String, ?> extra) {
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(bosToken, "bosToken");
    Objects.requireNonNull(eosToken, "eosToken");
    Objects.requireNonNull(extra, "extra");
    List<Object> copies = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      try {
        copies.add(Inputs.copy(messages.get(i), "messages[" + i + "]", 1));
      } catch (EvalError error) {
        throw new TemplateException("cannot pass this message to the chat template: " + error.getMessage(), 0, 0, null);
      }
    }
    if (!normalized.contains("<|channel|>")) {
      for (Object message : copies) {
        if (message instanceof Map<?, ?> map && "developer".equals(map.get("role"))) {
          @SuppressWarnings("unchecked")
          Map<Object, Object> m = (Map<Object, Object>) message;
          m.put("role", "system");
        }
      }
    }
    if (!supportsSystemRole()) {
      mergeSystemMessage(copies);
    }
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("messages", copies);
    context.put("bos_token", bosToken);
    context.put("eos_token", eosToken);
    context.put("enable_thinking", true);
    ZonedDateTime now = ZonedDateTime.now(clock);
    context.put("datetime", Strftime.format("%b %d %Y", now));
    context.put("date_string", Strftime.format("%d %b %Y", now));
    for (Map.Entry<String, ?> e : extra.entrySet()) {
      Object value = e.getValue();
      if ("tools".equals(e.getKey()) && (value instanceof Collection<?> collection && collection.isEmpty())) {
        context.remove("tools");
        continue;
      }
      context.put(Objects.requireNonNull(e.getKey(), "extra key"), value);
    }
    if (addGenerationPrompt) {
      context.put("add_generation_prompt", true);
    }
    return render(context);
  }

  private static void mergeSystemMessage(List<Object> messages) {
    if (messages.isEmpty() || !(messages.get(0) instanceof Map<?, ?> system)
        || !"system".equals(system.get("role"))) {
      return;
    }
    messages.remove(0);
    if (messages.isEmpty()) {
      return;
    }
    if (!(messages.get(0) instanceof Map)) {
      throw new TemplateException("messages[1] must be a map to receive the system message", 0, 0, null);
    }
    @SuppressWarnings("unchecked")
    Map<Object, Object> next = (Map<Object, Object>) messages.get(0);
    Object first = system.get("content");
    Object second = next.get("content");
    if (!(first instanceof String) || !(second instanceof String)) {
      throw new TemplateException("this chat template does not support a system message, and it can only be"
          + " joined to the next message when both contents are strings", 0, 0, null);
    }
    next.put("content", first + "\n" + second);
  }

  /**
   * Whether the template renders a leading system message. Learned as llama.cpp does, by rendering a
   * system and a user message and watching whether the template reads the system message's
   * content. Templates that refuse the system role (such as Gemma's) answer false.
   */
  public boolean supportsSystemRole() {
    Boolean known = systemRole;
    if (known == null) {
      known = probeSystemRole();
      systemRole = known;
    }
    return known;
  }

  private boolean probeSystemRole() {
    Map<Object, Object> system = new LinkedHashMap<>();
    system.put("role", "system");
    system.put("content", "System message");
    Map<Object, Object> user = new LinkedHashMap<>();
    user.put("role", "user");
    user.put("content", "User message");
    List<Object> messages = new ArrayList<>();
    messages.add(system);
    messages.add(user);
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("messages", messages);
    context.put("tools", new ArrayList<>());
    context.put("bos_token", "");
    context.put("eos_token", "");
    context.put("add_generation_prompt", true);
    boolean[] read = {false};
    try {
      renderImported(context, (container, key) -> {
        if (container == system && "content".equals(key)) {
          read[0] = true;
        }
      });
    } catch (TemplateException ignored) {
      // A template may refuse the probe conversation; what it read before failing still counts.
    }
    return read[0];
  }

  private String renderImported(Map<String, Object> variables, Renderer.AccessObserver observer) {
    Renderer renderer = new Renderer(normalized, clock, observer);
    Scope root = new Scope(null);
    for (Map.Entry<String, Object> e : variables.entrySet()) {
      root.set(e.getKey(), e.getValue());
    }
    StringBuilder out = new StringBuilder();
    try {
      Stmt.run(body, renderer, root, out);
    } catch (EvalError e) {
      throw renderer.error(0, e);
    } catch (StackOverflowError e) {
      throw new TemplateException("the template nests calls or expressions too deeply for this thread's stack",
          0, 0, null);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "ChatTemplate[" + source.length() + " chars]";
  }
}
