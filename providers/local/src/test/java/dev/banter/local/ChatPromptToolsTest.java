package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolSpec;
import dev.banter.local.chat.ChatFormat;
import dev.banter.local.chat.ParsedMessage;
import dev.banter.local.chat.ToolCallFamily;
import dev.banter.template.ChatTemplate;
import dev.banter.template.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A tool conversation renders as llama.cpp renders it (see test resources chat-formats/README.md). */
class ChatPromptToolsTest {
  private static final Clock RENDERED_ON = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

  static String read(String name) {
    try {
      return new String(Files.readAllBytes(TestResources.path("chat-formats/" + name)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static ChatTemplate template(String name) {
    return ChatTemplate.parse(read(name + ".jinja")).withClock(RENDERED_ON);
  }

  @SuppressWarnings("unchecked")
  static List<Message> messages() {
    Map<String, Object> input = (Map<String, Object>) Json.parse(read("tool-conversation.json"));
    List<Message> messages = new ArrayList<>();
    for (Object o : (List<Object>) input.get("messages")) {
      Map<String, Object> m = (Map<String, Object>) o;
      String role = (String) m.get("role");
      String content = (String) m.get("content");
      if (m.containsKey("tool_calls")) {
        List<ToolCall> calls = new ArrayList<>();
        for (Object c : (List<Object>) m.get("tool_calls")) {
          Map<String, Object> call = (Map<String, Object>) c;
          Map<String, Object> function = (Map<String, Object>) call.get("function");
          calls.add(new ToolCall((String) call.get("id"), (String) function.get("name"), (String) function.get("arguments")));
        }
        messages.add(Message.assistant(content, calls));
      } else if (role.equals("tool")) {
        messages.add(Message.tool((String) m.get("tool_call_id"), content));
      } else {
        messages.add(Message.of(Role.valueOf(role.toUpperCase(java.util.Locale.ROOT)), content));
      }
    }
    return messages;
  }

  static List<ToolSpec> tools() {
    return List.of(ToolSpec.of("get_weather", "Current weather for a city",
        "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}, \"unit\": {\"type\": \"string\", "
            + "\"enum\": [\"celsius\", \"fahrenheit\"]}}, \"required\": [\"city\"]}"));
  }

  static String render(String name, boolean enableThinking) {
    ChatTemplate t = template(name);
    return ChatPrompt.render(t, ChatPrompt.takesObjectArguments(t, "<s>", "</s>"), messages(), tools(), "<s>", "</s>",
        enableThinking);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Qwen-Qwen3-0.6B", "meta-llama-Llama-3.1-8B-Instruct", "mistralai-Mistral-Nemo-Instruct-2407",
      "openai-gpt-oss-120b", "ibm-granite-granite-3.3-2B-Instruct", "deepseek-ai-DeepSeek-V3.1", "Kimi-K2-Instruct",
      "glm_4_5", "Qwen3-Coder", "Qwen3.5-4B"})
  void a_tool_conversation_renders_as_llama_cpp_renders_it(String name) {
    assertEquals(read(name + ".tools.expected.txt"), render(name, true));
  }

  @Test
  void qwen3_with_thinking_off_answers_after_an_empty_think_block() {
    String text = render("Qwen-Qwen3-0.6B", false);
    assertEquals(read("Qwen-Qwen3-0.6B.tools.no-thinking.expected.txt"), text);
    assertTrue(text.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n"), text);
    assertTrue(render("Qwen-Qwen3-0.6B", true).endsWith("<|im_start|>assistant\n"));
  }

  @Test
  void with_thinking_off_the_parser_reads_the_answer_as_content() {
    String prompt = render("Qwen-Qwen3-0.6B", false);
    ChatFormat format = ChatFormat.detect(read("Qwen-Qwen3-0.6B.jinja"));
    ParsedMessage m = format.parse(prompt, "It is 14 °C in Rome.");
    assertEquals("It is 14 °C in Rome.", m.content());
    assertEquals("", m.reasoning());
  }

  @Test
  void what_the_model_writes_for_a_call_renders_back_in_the_next_turn() {
    // The call as parsed from Qwen 3's output goes back into the conversation; the template writes it
    // as the model wrote it.
    ChatFormat format = ChatFormat.detect(read("Qwen-Qwen3-0.6B.jinja"));
    String written = format.toolCallSyntax().write("get_weather", "{\"city\": \"Rome\"}");
    ParsedMessage m = format.parse("", written);
    assertEquals(ToolCallFamily.HERMES, format.family());
    String text = ChatPrompt.render(template("Qwen-Qwen3-0.6B"), true,
        List.of(Message.user("Rome?"), Message.assistant(m.content(), m.toolCalls())), List.of(), "", "", true);
    assertTrue(text.contains("<|im_start|>assistant\n<think>\n\n</think>\n\n" + written + "<|im_end|>"), text);
  }

  @Test
  void templates_that_read_arguments_as_objects_get_objects() {
    for (String name : List.of("Qwen-Qwen3-0.6B", "meta-llama-Llama-3.1-8B-Instruct", "mistralai-Mistral-Nemo-Instruct-2407",
        "openai-gpt-oss-120b", "glm_4_5", "Kimi-K2-Instruct", "deepseek-ai-DeepSeek-V3.1")) {
      assertTrue(ChatPrompt.takesObjectArguments(template(name), "<s>", "</s>"), name);
    }
  }

  @Test
  void a_template_that_prints_arguments_as_text_gets_text() {
    ChatTemplate t = ChatTemplate.parse("{% for m in messages %}{% if m.tool_calls %}{% for c in m.tool_calls %}"
        + "CALL {{ c.function.name }} {{ c.function.arguments }}\n{% endfor %}{% else %}{{ m.role }}: {{ m.content }}\n"
        + "{% endif %}{% endfor %}");
    assertFalse(ChatPrompt.takesObjectArguments(t, "", ""));
    String text = ChatPrompt.render(t, false, List.of(Message.user("Go"),
        Message.assistant("", List.of(new ToolCall("c1", "f", "{\"a\": 1}")))), List.of(), "", "", true);
    assertEquals("user: Go\nCALL f {\"a\": 1}\n", text);
  }

  @Test
  void a_template_concatenating_arguments_to_text_gets_text() {
    // As DeepSeek R1's original template does: '...' + tool['function']['arguments'] + '...'
    ChatTemplate t = ChatTemplate.parse("{% for m in messages %}{% if m.tool_calls %}{% for c in m.tool_calls %}"
        + "{{ '<call>' + c['function']['name'] + '\\n```json\\n' + c['function']['arguments'] + '\\n```</call>' }}"
        + "{% endfor %}{% else %}{{ m.role }}: {{ m.content }}\n{% endif %}{% endfor %}");
    assertFalse(ChatPrompt.takesObjectArguments(t, "", ""));
    String text = ChatPrompt.render(t, false, List.of(Message.user("Go"),
        Message.assistant("", List.of(new ToolCall("c1", "f", "{\"a\": 1}")))), List.of(), "", "", true);
    assertEquals("user: Go\n<call>f\n```json\n{\"a\": 1}\n```</call>", text);
  }
}
