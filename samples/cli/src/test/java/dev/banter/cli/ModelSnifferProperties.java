package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ModelSnifferProperties {
  @Property
  void the_model_is_found_however_the_body_is_split(@ForAll @StringLength(min = 1, max = 40) String model,
      @ForAll @IntRange(min = 1, max = 64) int piece) {
    String json = "{\"messages\":[{\"role\":\"user\",\"content\":\"a \\\"model\\\": x\",\"model\":\"inner\"}],"
        + "\"stream\":true,\"model\":\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
            .quoteAsString(model)) + "\"}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ModelSniffer s = new ModelSniffer();
    for (int i = 0; i < bytes.length; i += piece) {
      s.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + piece)));
    }
    String expected = model.codePoints().limit(100).collect(StringBuilder::new, StringBuilder::appendCodePoint,
        StringBuilder::append).toString();
    assertEquals(clean(expected), s.model(), json);
  }

  private static String clean(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 100; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f || Character.isWhitespace(c) ? '_' : c);
    }
    return sb.toString();
  }

  @Test
  void broken_json_yields_no_model_and_no_exception() {
    ModelSniffer s = new ModelSniffer();
    s.feed("{\"messages\": ]]] \"model\": \"x\"}".getBytes(StandardCharsets.UTF_8));
    s.feed("more".getBytes(StandardCharsets.UTF_8));
    assertEquals("", s.model());
  }

  @Test
  void a_nested_model_field_is_not_the_request_model() {
    ModelSniffer s = new ModelSniffer();
    s.feed("{\"metadata\":{\"model\":\"nested\"},\"messages\":[]}".getBytes(StandardCharsets.UTF_8));
    assertEquals("", s.model());
  }
}
