package dev.banter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GenerationOptionsTest {
  @Test
  void set_fields_win_and_unset_fields_take_the_defaults() {
    GenerationOptions persona = GenerationOptions.builder().temperature(0.9).topP(0.95).stop("User:").build();
    GenerationOptions request = GenerationOptions.builder().temperature(0.1).maxTokens(10).build();
    GenerationOptions merged = request.withDefaults(persona);
    assertEquals(0.1, merged.temperature().getAsDouble());
    assertEquals(0.95, merged.topP().getAsDouble());
    assertEquals(10, merged.maxTokens().getAsInt());
    assertEquals(List.of("User:"), merged.stop());
  }

  @Test
  void an_empty_stop_list_clears_inherited_stops() {
    GenerationOptions base = GenerationOptions.builder().stop("END").build();
    GenerationOptions none = GenerationOptions.builder().stop(List.of()).build();
    assertTrue(none.withDefaults(base).stop().isEmpty());
    assertTrue(none.hasStop());
    assertFalse(GenerationOptions.defaults().hasStop());
  }

  @Test
  void out_of_range_values_are_refused_with_the_value_in_the_message() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GenerationOptions.builder().temperature(3));
    assertEquals("temperature must be in [0, 2], got 3.0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GenerationOptions.builder().topP(0));
    assertThrows(IllegalArgumentException.class, () -> GenerationOptions.builder().topK(-1));
    assertThrows(IllegalArgumentException.class, () -> GenerationOptions.builder().maxTokens(0));
    assertThrows(IllegalArgumentException.class, () -> GenerationOptions.builder().stop(""));
    assertThrows(IllegalArgumentException.class, () -> GenerationOptions.builder().temperature(Double.NaN));
  }

  @Property
  void merging_with_defaults_is_the_identity_and_merging_twice_changes_nothing(
      @ForAll @DoubleRange(min = 0, max = 2) double t, @ForAll @IntRange(min = 1, max = 4096) int max,
      @ForAll @DoubleRange(min = 0.01, max = 1) double p) {
    GenerationOptions o = GenerationOptions.builder().temperature(t).maxTokens(max).topP(p).build();
    assertEquals(o, o.withDefaults(GenerationOptions.defaults()));
    assertEquals(o, GenerationOptions.defaults().withDefaults(o));
    assertEquals(o.withDefaults(o), o);
    assertEquals(o, o.toBuilder().build());
  }

  @Test
  void logprobs_are_off_unless_asked_and_top_logprobs_stay_within_openais_0_to_20() {
    assertFalse(GenerationOptions.defaults().logprobs());
    assertTrue(GenerationOptions.defaults().topLogprobs().isEmpty());
    GenerationOptions asked = GenerationOptions.builder().logprobs(true).topLogprobs(20).build();
    assertTrue(asked.logprobs());
    assertEquals(20, asked.topLogprobs().getAsInt());
    assertThrows(IllegalArgumentException.class, () -> GenerationOptions.builder().topLogprobs(21));
    assertThrows(IllegalArgumentException.class, () -> GenerationOptions.builder().topLogprobs(-1));
    GenerationOptions layered = GenerationOptions.builder().temperature(0.5).build().withDefaults(asked);
    assertTrue(layered.logprobs(), "an unset field takes the base's value");
    assertFalse(GenerationOptions.builder().logprobs(false).build().withDefaults(asked).logprobs());
    assertTrue(asked.toString().contains("topLogprobs=20"), asked.toString());
  }

  @Test
  void a_token_logprob_is_at_most_zero_and_its_bytes_are_unsigned() {
    assertThrows(IllegalArgumentException.class, () -> new TokenLogprob("a", 0.1, List.of(97), List.of()));
    assertThrows(IllegalArgumentException.class, () -> new TokenLogprob("a", Double.NaN, List.of(97), List.of()));
    assertThrows(IllegalArgumentException.class, () -> new TokenLogprob("a", -1, List.of(256), List.of()));
    assertThrows(IllegalArgumentException.class, () -> new TokenLogprob.Alternative("a", -1, List.of(-1)));
    TokenLogprob t = new TokenLogprob("\uFFFD", Double.NEGATIVE_INFINITY, List.of(0xE2), List.of());
    assertEquals(List.of(0xE2), t.bytes());
  }
}
