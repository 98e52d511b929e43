package dev.banter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResponseFormatTest {
  @Test
  void a_grammar_format_carries_its_text_and_no_schema() {
    ResponseFormat f = ResponseFormat.grammar("root ::= \"yes\" | \"no\"");
    assertEquals(ResponseFormat.Type.GRAMMAR, f.type());
    assertEquals(Optional.of("root ::= \"yes\" | \"no\""), f.grammar());
    assertEquals(Optional.empty(), f.schema());
    assertEquals(Optional.empty(), f.name());
    assertFalse(f.strict());
    assertEquals("grammar", f.toString());
    assertEquals(f, ResponseFormat.grammar("root ::= \"yes\" | \"no\""));
    assertNotEquals(f, ResponseFormat.grammar("root ::= \"no\""));
  }

  @Test
  void a_schema_format_has_no_grammar() {
    ResponseFormat f = ResponseFormat.jsonSchema("s", "{}", true);
    assertEquals(Optional.of("{}"), f.schema());
    assertEquals(Optional.empty(), f.grammar());
  }

  @Test
  void an_empty_grammar_is_refused_at_once() {
    assertThrows(IllegalArgumentException.class, () -> ResponseFormat.grammar("  \n"));
    assertThrows(NullPointerException.class, () -> ResponseFormat.grammar(null));
  }
}
