package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ConfigurationException;
import dev.banter.api.GenerationOptions;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.Persona;
import dev.banter.api.RefusalPosture;
import dev.banter.api.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonaTest {
  private static final PersonaRegistry REGISTRY = PersonaRegistry.create(PersonaTest.class.getClassLoader(), List.of());

  @Test
  void witty_renders_its_prompt_style_and_refusal_guidance_with_a_higher_temperature() {
    Persona witty = REGISTRY.require("witty");
    ChatRequest out = PersonaRenderer.render(witty, ChatRequest.of("Why do cats purr?"));
    List<Message> m = out.messages();
    assertEquals(Role.SYSTEM, m.get(0).role());
    assertEquals(witty.systemPrompt() + "\n\n"
        + "Be funny: use wit, wordplay and playful irreverence freely, as long as the answer stays correct."
        + " Be blunt and candid; do not sugar-coat or hedge without reason."
        + " Keep answers reasonably concise."
        + " Take on edgy, spicy or controversial questions head-on and with candour; refuse only what is genuinely"
        + " harmful.", m.get(0).content());
    assertEquals(Message.user("Why is the sky blue?"), m.get(1), "few-shot example comes first");
    assertEquals(Role.ASSISTANT, m.get(2).role());
    assertEquals(Message.user("Why do cats purr?"), m.get(3));
    assertEquals(0.9, out.options().temperature().getAsDouble());
    assertEquals(0.95, out.options().topP().getAsDouble());
    assertFalse(out.persona().isPresent(), "the backend sees no persona id");
    assertEquals(3, out.cacheablePrefix(), "the prompt and the example exchange repeat in every conversation");
  }

  @Test
  void regular_renders_a_plain_factual_prompt_with_a_low_temperature() {
    Persona regular = REGISTRY.require("regular");
    ChatRequest out = PersonaRenderer.render(regular, ChatRequest.of("Capital of Peru?"));
    assertEquals(2, out.messages().size());
    String system = out.messages().get(0).content();
    assertTrue(system.startsWith("You are Banter, a helpful assistant."), system);
    assertTrue(system.contains("Do not joke."), system);
    assertTrue(system.endsWith("Answer what is safe to answer; decline what is harmful and briefly say why."), system);
    assertEquals(0.3, out.options().temperature().getAsDouble());
    assertTrue(REGISTRY.require("witty").defaults().temperature().getAsDouble()
        > regular.defaults().temperature().getAsDouble());
  }

  @Test
  void a_small_context_gets_the_short_prompt_without_guidance_or_examples() {
    ScriptedBackend tiny = new ScriptedBackend("tiny").always(ScriptedBackend.answer("ok"));
    tiny.contextLength = 256;
    ChatModel model = Banter.builder().backend("tiny").provider(tiny.provider()).persona("witty")
        .resilience(Resilience.none()).build();
    model.chat(ChatRequest.builder().system("Keep it clean.").user("Tell me a joke.").build());
    List<Message> sent = tiny.requests.get(0).messages();
    assertEquals(List.of(Message.system("You are Banter, a witty assistant.\n\nKeep it clean."),
        Message.user("Tell me a joke.")), sent);
    assertEquals(0.9, tiny.requests.get(0).options().temperature().getAsDouble(), "defaults still apply");
    assertEquals(1, tiny.requests.get(0).cacheablePrefix());
  }

  @Test
  void request_options_override_persona_defaults_field_by_field() {
    ChatRequest in = ChatRequest.builder().user("hi")
        .options(GenerationOptions.builder().temperature(0.1).maxTokens(5).build()).build();
    ChatRequest out = PersonaRenderer.render(REGISTRY.require("witty"), in);
    assertEquals(0.1, out.options().temperature().getAsDouble());
    assertEquals(5, out.options().maxTokens().getAsInt());
    assertEquals(0.95, out.options().topP().getAsDouble());
  }

  @Test
  void a_request_system_message_joins_the_persona_system_prompt() {
    ChatRequest in = ChatRequest.builder().system("Answer in French.").user("Hello").build();
    ChatRequest out = PersonaRenderer.render(REGISTRY.require("regular"), in);
    assertEquals(1, out.messages().stream().filter(m -> m.role() == Role.SYSTEM).count());
    assertTrue(out.messages().get(0).content().endsWith("\n\nAnswer in French."));
  }

  @Test
  void unknown_persona_lists_the_available_ones() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> REGISTRY.require("wity"));
    assertEquals("Unknown persona 'wity'. Available: witty, regular, announcer. Add personas as JSON files or a"
        + " PersonaProvider.", e.getMessage());
  }

  @Test
  void a_request_naming_an_unknown_persona_is_an_invalid_request() {
    ScriptedBackend backend = new ScriptedBackend("scripted").always(ScriptedBackend.answer("ok"));
    ChatModel model = Banter.builder().backend("scripted").provider(backend.provider())
        .resilience(Resilience.none()).build();
    ChatRequest request = ChatRequest.builder().message(Message.user("hi")).persona("wity").build();
    for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
        () -> model.chat(request), () -> model.stream(request))) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, call);
      assertEquals(java.util.Optional.of("persona"), e.parameter());
      assertTrue(e.getMessage().startsWith("Unknown persona 'wity'. Available: witty, regular"), e.getMessage());
    }
    assertEquals(0, backend.calls.get());
  }

  @Test
  void a_persona_file_is_loaded_and_used(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pirate.json");
    Files.write(f, ("{\"id\":\"pirate\",\"displayName\":\"Captain\",\"systemPrompt\":\"Answer as a pirate.\","
        + "\"traits\":{\"humor\":0.7},\"defaults\":{\"temperature\":1.1,\"stop\":[\"Arr!\"]},"
        + "\"examples\":[{\"user\":\"Hi\",\"assistant\":\"Ahoy!\"}],\"refusalPosture\":\"cautious\"}")
        .getBytes(StandardCharsets.UTF_8));
    Persona p = PersonaFiles.read(f);
    assertEquals("Captain", p.displayName());
    assertEquals(0.7, p.traits().humor());
    assertEquals(List.of("Arr!"), p.defaults().stop());
    assertEquals(RefusalPosture.CAUTIOUS, p.refusalPosture());
    try (ChatModel model = Banter.builder().backend("eliza").addPersonaFile(f).persona("pirate").build()) {
      assertEquals("pirate", model.defaultPersona().get().id());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "missing id | {\"systemPrompt\":\"x\"} | id",
      "bad id | {\"id\":\"Bad Id\",\"systemPrompt\":\"x\"} | id",
      "blank prompt | {\"id\":\"a\",\"systemPrompt\":\"  \"} | systemPrompt",
      "humor out of range | {\"id\":\"a\",\"systemPrompt\":\"x\",\"traits\":{\"humor\":1.5}} | traits.humor",
      "humor not a number | {\"id\":\"a\",\"systemPrompt\":\"x\",\"traits\":{\"humor\":\"lots\"}} | traits.humor",
      "unknown trait | {\"id\":\"a\",\"systemPrompt\":\"x\",\"traits\":{\"sass\":1}} | traits.sass",
      "unknown field | {\"id\":\"a\",\"systemPrompt\":\"x\",\"mood\":\"grumpy\"} | mood",
      "bad temperature | {\"id\":\"a\",\"systemPrompt\":\"x\",\"defaults\":{\"temperature\":9}} | defaults.temperature",
      "bad posture | {\"id\":\"a\",\"systemPrompt\":\"x\",\"refusalPosture\":\"reckless\"} | refusalPosture",
      "example without answer | {\"id\":\"a\",\"systemPrompt\":\"x\",\"examples\":[{\"user\":\"q\"}]} | examples[0].assistant",
      "not an object | [1,2] | (root)"})
  void an_invalid_persona_file_fails_naming_the_bad_field(String name, String json, String field, @TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("bad.json");
    Files.write(f, json.getBytes(StandardCharsets.UTF_8));
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> PersonaFiles.read(f));
    assertEquals(field, e.field().orElse(""), e.getMessage());
    assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void malformed_json_names_line_and_column(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("broken.json");
    Files.write(f, "{\n  \"id\": \"a\",\n  \"systemPrompt\": \"x\"\n  \"traits\": {}\n}".getBytes(StandardCharsets.UTF_8));
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> PersonaFiles.read(f));
    assertTrue(e.getMessage().contains("line 4"), e.getMessage());
  }

  @Test
  void a_persona_provider_on_the_class_path_contributes_personas() {
    PersonaRegistry r = PersonaRegistry.create(getClass().getClassLoader(), List.of());
    assertEquals("Answer like a 1920s radio announcer.", r.require("announcer").systemPrompt());
  }

  @Test
  void a_persona_id_taken_twice_is_an_error_naming_both_sources() {
    Persona dup = Persona.builder("witty").systemPrompt("another witty").build();
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> PersonaRegistry.create(getClass().getClassLoader(), List.of(dup)));
    assertTrue(e.getMessage().contains("built-in") && e.getMessage().contains("the builder"), e.getMessage());
  }

  /** Registered in src/test/resources/META-INF/services/dev.banter.spi.PersonaProvider. */
  public static final class AnnouncerPersonas implements dev.banter.spi.PersonaProvider {
    @Override
    public List<Persona> personas() {
      return List.of(Persona.builder("announcer").systemPrompt("Answer like a 1920s radio announcer.").build());
    }
  }
}
