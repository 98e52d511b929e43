package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Jinja's whitespace rules with the chat-template settings: trim_blocks and lstrip_blocks on. */
class WhitespaceTest {

  @Test
  void a_block_tag_swallows_the_newline_after_it() {
    assertEquals("x\ny\n", render("{% if true %}\nx\n{% endif %}\ny\n{% if true %}{% endif %}\n"));
  }

  @Test
  void indentation_before_a_block_tag_on_its_own_line_is_removed() {
    assertEquals("a\n    x\nb", render("a\n  {% if true %}\n    x\n  {% endif %}\nb"));
    assertEquals("\tx\n", render("\t{% if true %}\n\tx\n\t{% endif %}"));
  }

  @Test
  void spaces_before_a_block_tag_after_other_text_are_kept() {
    assertEquals("a  x  b", render("a  {% if true %}x{% endif %}  b"));
  }

  @Test
  void an_output_tag_neither_strips_before_itself_nor_eats_the_newline_after_it() {
    assertEquals("  1\n  2", render("  {{ 1 }}\n  {{ 2 }}"));
  }

  @Test
  void minus_markers_strip_all_whitespace_on_their_side() {
    assertEquals("x1y", render("x\n  {{- 1 -}}\n  y"));
    assertEquals("a b", render("a {%- if true %} {% endif -%} \n\n b"));
    assertEquals("012", render("{% for i in range(3) -%}\n  {{ i }}\n{%- endfor %}"));
  }

  @Test
  void comments_disappear_and_follow_the_block_rules() {
    assertEquals("x", render("  {# comment #}\nx"));
    assertEquals("xy", render("x {#- comment -#} y"));
    assertEquals("a\nb", render("a\n{# one\ntwo #}\nb"));
  }

  @Test
  void one_trailing_newline_of_the_template_is_dropped_and_newlines_are_normalized() {
    assertEquals("end\n", render("end\n\n"));
    assertEquals("line\nline2", render("line\r\nline2\r\n"));
    assertEquals("a\nb", render("a\rb"));
  }

  @Test
  void a_loop_body_on_its_own_lines_renders_once_per_item_without_indentation() {
    String template = "{% for m in messages %}\n    <{{ m }}>\n{% endfor %}\n";
    assertEquals("    <a>\n    <b>\n", render(template, "messages", java.util.List.of("a", "b")));
  }
}
