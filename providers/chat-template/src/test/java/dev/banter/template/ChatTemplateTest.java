package dev.banter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The public API: parsing, the conversation render with llama.cpp's conventions, the clock. */
class ChatTemplateTest {
  private static final List<Map<String, Object>> CONVERSATION = List.of(
      Map.of("role", "system", "content", "Be brief."),
      Map.of("role", "user", "content", "Hi"));

  private static String conversation(String template, Map<String, ?> extra) {
    return ChatTemplate.parse(template).withClock(Render.CLOCK).render(CONVERSATION, true, "<s>", "</s>", extra);
  }

  @Test
  void chatml_is_the_fallback_format() {
    assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        ChatTemplate.chatml().render(CONVERSATION, true, "", "", Map.of()));
    assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n",
        ChatTemplate.chatml().render(CONVERSATION, false, "", "", Map.of()));
    assertEquals(ChatTemplate.CHATML, ChatTemplate.chatml().source());
  }

  @Test
  void the_conversation_render_passes_tokens_flags_and_todays_date() {
    assertEquals("<s>|</s>|True|True|28 Nov 2026|Nov 28 2026|2026-11-28",
        conversation("{{ bos_token }}|{{ eos_token }}|{{ add_generation_prompt }}|{{ enable_thinking }}|"
            + "{{ date_string }}|{{ datetime }}|{{ strftime_now('%Y-%m-%d') }}", Map.of()));
  }

  @Test
  void add_generation_prompt_is_undefined_when_false_as_in_llama_cpp() {
    assertEquals("False", ChatTemplate.parse("{{ add_generation_prompt is defined }}")
        .render(CONVERSATION, false, "", "", Map.of()));
  }

  @Test
  void extra_variables_override_the_defaults_and_an_empty_tool_list_means_no_tools() {
    assertEquals("False|1 Jan|undefined", conversation("{{ enable_thinking }}|{{ date_string }}|"
        + "{{ 'defined' if tools is defined else 'undefined' }}",
        Render.variables("enable_thinking", false, "date_string", "1 Jan", "tools", List.of())));
    assertEquals("1", conversation("{{ tools|length }}", Map.of("tools", List.of(Map.of("type", "function")))));
  }

  @Test
  void a_template_that_ignores_system_messages_gets_the_system_text_in_the_next_message() {
    String gemmaLike = "{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
        + "{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}";
    ChatTemplate template = ChatTemplate.parse(gemmaLike);
    assertFalse(template.supportsSystemRole());
    assertEquals("[user:Be brief.\nHi]", template.render(CONVERSATION, false, "", "", Map.of()));
    assertEquals("0", ChatTemplate.parse("{{ raise_exception('no') if messages and messages[0].role == 'system' }}"
        + "{{ messages|length }}").render(List.of(Map.of("role", "system", "content", "alone")), false, "", "", Map.of()));
    assertThrows(TemplateRaisedException.class, () -> template.render(Render.variables("messages", CONVERSATION)));
  }

  @Test
  void templates_that_read_the_system_message_keep_it() {
    assertTrue(ChatTemplate.chatml().supportsSystemRole());
    assertTrue(ChatTemplate.parse("{% for m in messages %}{% if m['role'] == 'system' %}{{ m['content'] }}{% endif %}"
        + "{% endfor %}").supportsSystemRole());
    assertEquals("[system:Be brief.][user:Hi]", conversation("{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}",
        Map.of()));
  }

  @Test
  void developer_messages_are_passed_as_system_messages() {
    assertEquals("system", ChatTemplate.chatml().render(List.of(Map.of("role", "developer", "content", "x")), false, "", "",
        Map.of()).substring("<|im_start|>".length(), "<|im_start|>".length() + 6));
  }

  @Test
  void the_callers_messages_are_never_changed() {
    Map<String, Object> system = Render.variables("role", "system", "content", "S", "parts", new ArrayList<>(List.of("a")));
    Map<String, Object> user = Render.variables("role", "user", "content", "U");
    List<Map<String, Object>> messages = new ArrayList<>(List.of(system, user));
    assertEquals("S[{'role': 'system', 'content': 'S', 'parts': ['a', 'b']}]", ChatTemplate.parse("{{ messages[0].content }}"
        + "{% set _ = messages.pop() %}{% set _ = messages[0].parts.append('b') %}{{ messages }}")
        .render(messages, false, "", "", Map.of()));
    assertEquals(List.of(Map.of("role", "system", "content", "S", "parts", List.of("a")), Map.of("role", "user", "content", "U")),
        messages);
  }

  @Test
  void tool_calls_render_with_arguments_as_a_dict_or_a_string() {
    String template = "{% for m in messages %}{% for c in m.tool_calls %}{{ c.function.name }}("
        + "{% if c.function.arguments is string %}{{ c.function.arguments }}{% else %}{{ c.function.arguments|tojson }}"
        + "{% endif %});{% endfor %}{% endfor %}";
    List<Map<String, Object>> messages = List.of(Map.of("role", "assistant", "content", "", "tool_calls", List.of(
        Map.of("type", "function", "function", Map.of("name", "a", "arguments", Map.of("x", 1))),
        Map.of("type", "function", "function", Map.of("name", "b", "arguments", "{\"y\": 2}")))));
    assertEquals("a({\"x\": 1});b({\"y\": 2});", ChatTemplate.parse(template).render(messages, false, "", "", Map.of()));
  }

  @Test
  void render_with_variables_passes_exactly_those() {
    assertEquals("False|x", ChatTemplate.parse("{{ date_string is defined }}|{{ v }}").render(Map.of("v", "x")));
  }

  @Test
  void the_clock_decides_what_strftime_now_prints() {
    ChatTemplate template = ChatTemplate.parse("{{ strftime_now('%d %B %Y, %b %m') }}");
    Clock tokyo = Clock.fixed(Instant.parse("2024-07-25T20:00:00Z"), ZoneId.of("Asia/Tokyo"));
    ChatTemplate inTokyo = template.withClock(tokyo);
    assertNotSame(template, inTokyo);
    assertEquals("26 July 2024, Jul 07", inTokyo.render(Map.of()));
    assertSame(template.source(), inTokyo.source());
  }

  @Test
  void one_template_renders_from_many_threads_at_once() throws Exception {
    ChatTemplate template = ChatTemplate.parse(ReferenceTemplatesTest.text("Qwen-Qwen3-0.6B.jinja"));
    String expected = template.render(CONVERSATION, true, "", "", Map.of());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> template.render(CONVERSATION, true, "", "", Map.of())));
      }
      for (Future<String> result : results) {
        assertEquals(expected, result.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void describes_itself_without_its_source() {
    assertEquals("ChatTemplate[7 chars]", ChatTemplate.parse("{{ x }}").toString());
  }
}
