package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jinja's tests, written after {@code is}. */
class PredicatesTest {

  @Test
  void type_tests() {
    assertEquals("True True True True True True False True True True",
        render("{{ x is defined }} {{ y is undefined }} {{ none is none }} {{ 'a' is string }} {{ 1 is number }} "
            + "{{ 1 is integer }} {{ true is integer }} {{ true is number }} {{ f is number }} {{ true is boolean }}",
            "x", 1, "f", 1.5));
    assertEquals("False True True True True True True True True False",
        render("{{ f is integer }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is iterable }} {{ u is iterable }} "
            + "{{ {} is iterable }} {{ [] is sequence }} {{ {} is sequence }} {{ 'a' is sequence }} {{ 1 is iterable }}",
            "f", 1.5));
  }

  @Test
  void value_and_membership_tests() {
    assertEquals("True False True False True False True True",
        render("{{ true is true }} {{ 1 is true }} {{ false is false }} {{ 0 is false }} {{ 2 is equalto 2 }} "
            + "{{ 2 is equalto(3) }} {{ 1 is in [1, 2] }} {{ 'a' is in('abc') }}"));
  }

  @Test
  void negated_tests_and_not_before_a_test() {
    Map<String, Object> values = new HashMap<>();
    values.put("x", null);
    assertEquals("False False", render("{{ x is not none }} {{ x is not defined }}", "x", values.get("x")));
    assertEquals("undef", render("{% if not add_generation_prompt is defined %}undef{% endif %}"));
    assertEquals("b", render("{{ 'a' if x is none and false else 'b' }}", "x", values.get("x")));
  }
}
