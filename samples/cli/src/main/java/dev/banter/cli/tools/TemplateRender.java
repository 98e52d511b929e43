package dev.banter.cli.tools;

import dev.banter.template.ChatTemplate;
import dev.banter.template.Json;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders a chat template for a conversation, exactly as the local engine would (and as llama.cpp
 * does). The input is a JSON object with {@code messages} and optionally {@code bos_token},
 * {@code eos_token}, {@code add_generation_prompt} and {@code tools}; other members are ignored.
 * A date fixes the day {@code strftime_now} and the date variables see (at midnight UTC); without
 * one the system clock is used.
 *
 * <pre>{@code
 * String prompt = TemplateRender.render(Files.readString(jinja), Files.readString(input),
 *     Optional.of(LocalDate.of(2026, 11, 28)));
 * }</pre>
 */
public final class TemplateRender {
  private TemplateRender() {}

  /**
   * @throws IllegalArgumentException if the input is not an object with a {@code messages} array of objects
   * @throws dev.banter.template.JsonException if the input is not JSON
   * @throws dev.banter.template.TemplateException if the template does not parse or render
   */
  public static String render(String template, String inputJson, Optional<LocalDate> date) {
    Objects.requireNonNull(template, "template");
    Clock clock = date.map(d -> Clock.fixed(d.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC))
        .orElseGet(Clock::systemDefaultZone);
    if (!(Json.parse(stripBom(inputJson)) instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException("the input must be a JSON object with \"messages\"");
    }
    if (!(root.get("messages") instanceof List<?> messages)) {
      throw new IllegalArgumentException("\"messages\" must be an array of message objects");
    }
    List<Map<String, Object>> conversation = new ArrayList<>();
    for (Object m : messages) {
      if (!(m instanceof Map<?, ?> message)) {
        throw new IllegalArgumentException("every element of \"messages\" must be an object");
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      message.forEach((k, v) -> copy.put((String) k, v));
      conversation.add(copy);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    if (root.containsKey("tools")) {
      extra.put("tools", root.get("tools"));
    }
    return ChatTemplate.parse(template).withClock(clock).render(conversation,
        Boolean.TRUE.equals(root.get("add_generation_prompt")), text(root.get("bos_token")),
        text(root.get("eos_token")), extra);
  }

  private static String text(Object value) {
    return value instanceof String s ? s : "";
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }
}
