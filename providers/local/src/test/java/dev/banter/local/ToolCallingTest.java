package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.ToolChoice;
import dev.banter.api.ToolSpec;
import dev.banter.local.gguf.GgufValue;
import dev.banter.template.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tools on the local engine: a required or named tool is enforced in each template family's own
 * call syntax, and the answer comes back as tool calls whose arguments fit the tool's schema,
 * whole and streamed — on a random-weight fixture whose free output is noise, so only the
 * constraint can produce a call.
 */
class ToolCallingTest {
  static final ToolSpec WEATHER = ToolSpec.of("get_weather", "Current weather for a city",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"maxLength\":12},\"days\":{\"type\":\"integer\","
          + "\"minimum\":1,\"maximum\":7},\"unit\":{\"enum\":[\"celsius\",\"fahrenheit\"]}},"
          + "\"required\":[\"city\",\"days\",\"unit\"],\"additionalProperties\":false}");
  static final ToolSpec TIME = ToolSpec.of("get_time", "Current time in a time zone",
      "{\"type\":\"object\",\"properties\":{\"zone\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":12}},\"required\":[\"zone\"]}");

  @TempDir
  Path dir;

  private static ChatRequest ask(ToolChoice choice, long seed) {
    return ChatRequest.builder().system("You are a helpful assistant.").user("What's the weather in Oslo?")
        .tools(WEATHER, TIME).toolChoice(choice)
        .options(GenerationOptions.builder().temperature(1.0).seed(seed).maxTokens(300).build()).build();
  }

  /** The fixture with {@code template} as its chat template. */
  private Path withTemplate(String template) {
    return GgufCopy.copy(TestResources.path("gguf/tiny-qwen2-f32.gguf"), dir.resolve("model.gguf"),
        Map.of("tokenizer.chat_template", GgufValue.ofString(template)));
  }

  private static String template(String file) throws IOException {
    return Files.readString(TestResources.path("chat-formats/" + file));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Qwen-Qwen2.5-7B-Instruct.jinja", "Qwen-Qwen3-0.6B.jinja",
      "meta-llama-Llama-3.1-8B-Instruct.jinja", "mistralai-Mistral-Nemo-Instruct-2407.jinja",
      "openai-gpt-oss-120b.jinja", "ibm-granite-granite-3.3-2B-Instruct.jinja", "deepseek-ai-DeepSeek-V3.1.jinja",
      "Kimi-K2-Instruct.jinja", "glm_4_5.jinja", "Qwen3-Coder.jinja", "google-gemma-2-2b-it.jinja"})
  void a_required_tool_is_called_in_the_familys_syntax_whole_and_streamed(String file) throws IOException {
    Path model = withTemplate(template(file));
    try (LocalBackend b = Demo.backend(Demo.config().set("model", model.toString()).set("context", "2048"))) {
      for (long seed = 1; seed <= 3; seed++) {
        ChatResponse whole = b.chat(ask(ToolChoice.required(), seed));
        assertEquals(FinishReason.TOOL_CALLS, whole.finishReason(), file + ": " + whole);
        assertFalse(whole.message().toolCalls().isEmpty(), file);
        for (ToolCall c : whole.message().toolCalls()) {
          assertValid(c, file);
        }
        List<ChatChunk> chunks = new ArrayList<>();
        ChatResponse streamed;
        try (ChatStream s = b.stream(ask(ToolChoice.required(), seed))) {
          s.forEach(chunks::add);
          streamed = s.completion().toCompletableFuture().join();
        }
        assertEquals(calls(whole), calls(streamed), file + ": the same seed calls the same tools");
        assertEquals(calls(whole), fromDeltas(chunks), file + ": the deltas add up to the calls");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Qwen-Qwen2.5-7B-Instruct.jinja", "openai-gpt-oss-120b.jinja", "glm_4_5.jinja",
      "google-gemma-2-2b-it.jinja"})
  void a_named_tool_is_the_one_called(String file) throws IOException {
    try (LocalBackend b = Demo.backend(Demo.config().set("model", withTemplate(template(file)).toString()).set("context", "2048"))) {
      for (long seed = 1; seed <= 3; seed++) {
        ChatResponse r = b.chat(ask(ToolChoice.function("get_time"), seed));
        assertEquals(FinishReason.TOOL_CALLS, r.finishReason(), file);
        for (ToolCall c : r.message().toolCalls()) {
          assertEquals("get_time", c.name(), file);
          assertValid(c, file);
        }
      }
    }
  }

  /**
   * The fixture with {@code template} and {@code markup} as control tokens in place of ordinary
   * pieces at the end of its vocabulary, as real models have them.
   */
  private Path withControlTokens(String template, List<String> markup) {
    Path source = TestResources.path("gguf/tiny-qwen2-f32.gguf");
    List<String> tokens;
    long[] types;
    try (dev.banter.local.gguf.GgufFile in = dev.banter.local.gguf.GgufFile.open(source)) {
      tokens = new ArrayList<>(in.metadata().get("tokenizer.ggml.tokens").orElseThrow().asStringList());
      types = in.metadata().get("tokenizer.ggml.token_type").orElseThrow().asLongArray();
    }
    int first = tokens.size() - 2 - markup.size();
    for (int i = 0; i < markup.size(); i++) {
      tokens.set(first + i, markup.get(i));
      types[first + i] = 3;
    }
    int[] typeInts = new int[types.length];
    for (int i = 0; i < types.length; i++) {
      typeInts[i] = (int) types[i];
    }
    return GgufCopy.copy(source, dir.resolve("control.gguf"), Map.of("tokenizer.chat_template", GgufValue.ofString(template),
        "tokenizer.ggml.tokens", GgufValue.ofStringArray(tokens), "tokenizer.ggml.token_type",
        GgufValue.ofInt32Array(typeInts)));
  }

  private static ChatRequest askWithLogprobs(long seed) {
    ChatRequest r = ask(ToolChoice.required(), seed);
    return r.toBuilder().options(r.options().toBuilder().logprobs(true).build()).build();
  }

  @Test
  void markup_that_is_a_control_token_is_written_as_that_token() throws IOException {
    Path model = withControlTokens(template("mistralai-Mistral-Nemo-Instruct-2407.jinja"),
        List.of("[TOOL_CALLS]", "[INST]", "[/INST]", "[AVAILABLE_TOOLS]", "[/AVAILABLE_TOOLS]", "[TOOL_RESULTS]"));
    try (LocalBackend b = Demo.backend(Demo.config().set("model", model.toString()).set("context", "2048"))) {
      for (long seed = 1; seed <= 3; seed++) {
        ChatResponse r = b.chat(askWithLogprobs(seed));
        assertEquals(FinishReason.TOOL_CALLS, r.finishReason(), r.toString());
        r.message().toolCalls().forEach(c -> assertValid(c, "mistral"));
        assertEquals("[TOOL_CALLS]", r.logprobs().get(0).token(), "one token, not its characters: " + r.logprobs());
      }
    }
  }

  @Test
  void a_call_suffix_that_ends_the_generation_is_the_end_of_generation_token() throws IOException {
    Path model = withControlTokens(template("openai-gpt-oss-120b.jinja"),
        List.of("<|start|>", "<|channel|>", "<|message|>", "<|constrain|>", "<|end|>", "<|call|>", "<|return|>"));
    try (LocalBackend b = Demo.backend(Demo.config().set("model", model.toString()).set("context", "2048"))) {
      for (long seed = 1; seed <= 3; seed++) {
        ChatResponse r = b.chat(askWithLogprobs(seed));
        assertEquals(FinishReason.TOOL_CALLS, r.finishReason(), r.toString());
        r.message().toolCalls().forEach(c -> assertValid(c, "gpt-oss"));
        StringBuilder written = new StringBuilder();
        r.logprobs().forEach(l -> written.append(l.token()));
        assertTrue(written.toString().startsWith("<|channel|>commentary to=functions."), written.toString());
        assertFalse(written.toString().contains("<|call"), "<|call|> is not spelled out: " + written);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"glm_4_5.jinja", "Qwen3-Coder.jinja"})
  void tag_formats_write_required_arguments_and_may_write_optional_ones(String file) throws IOException {
    ToolSpec search = ToolSpec.of("search", "Search the web",
        "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\",\"maxLength\":8},\"limit\":{\"type\":"
            + "\"integer\",\"minimum\":1,\"maximum\":9},\"lang\":{\"enum\":[\"en\",\"no\"]}},\"required\":[\"q\"]}");
    try (LocalBackend b = Demo.backend(Demo.config().set("model", withTemplate(template(file)).toString()).set("context", "2048"))) {
      for (long seed = 1; seed <= 4; seed++) {
        ChatResponse r = b.chat(ChatRequest.builder().user("Find cats").tools(search).toolChoice(ToolChoice.required())
            .options(GenerationOptions.builder().temperature(1.0).seed(seed).maxTokens(200).build()).build());
        assertEquals(FinishReason.TOOL_CALLS, r.finishReason(), file + ": " + r);
        Map<?, ?> args = assertInstanceOf(Map.class, Json.parse(r.message().toolCalls().get(0).arguments()));
        assertInstanceOf(String.class, args.get("q"), file + ": " + args);
        assertTrue(List.of("q", "limit", "lang").containsAll(args.keySet()), file + ": " + args);
        if (args.containsKey("limit")) {
          long limit = assertInstanceOf(Long.class, args.get("limit"), file + ": " + args);
          assertTrue(limit >= 1 && limit <= 9, file + ": " + args);
        }
        if (args.containsKey("lang")) {
          assertTrue(List.of("en", "no").contains(args.get("lang")), file + ": " + args);
        }
      }
    }
  }

  @Test
  void the_demo_model_knows_no_tools_and_gets_the_generic_form() {
    try (LocalBackend b = Demo.backend(Demo.config().set("context", "1024"))) {
      ChatResponse forced = b.chat(ask(ToolChoice.required(), 5));
      assertEquals(FinishReason.TOOL_CALLS, forced.finishReason(), forced.toString());
      forced.message().toolCalls().forEach(c -> assertValid(c, "demo"));
      // Under auto the answer is a call or a reply, never the JSON wrapper itself.
      for (long seed = 1; seed <= 4; seed++) {
        ChatResponse auto = b.chat(ask(ToolChoice.auto(), seed));
        if (auto.message().toolCalls().isEmpty()) {
          assertFalse(auto.text().startsWith("{\"response\""), auto.text());
        } else {
          auto.message().toolCalls().forEach(c -> assertValid(c, "demo auto"));
        }
      }
      ChatResponse none = b.chat(ask(ToolChoice.none(), 5));
      assertTrue(none.message().toolCalls().isEmpty());
      assertEquals(FinishReason.LENGTH == none.finishReason() ? FinishReason.LENGTH : FinishReason.STOP,
          none.finishReason());
    }
  }

  @Test
  void a_tool_schema_the_grammar_cannot_enforce_is_refused_naming_the_tool() {
    ToolSpec bad = ToolSpec.of("lookup", "", "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\","
        + "\"pattern\":\"^a+$\"}},\"required\":[\"q\"]}");
    try (LocalBackend b = Demo.backend(Demo.config())) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> b.chat(ChatRequest.builder()
          .user("hi").tools(bad).toolChoice(ToolChoice.required()).build()));
      assertTrue(e.getMessage().contains("lookup"), e.getMessage());
    }
  }

  private static List<String> calls(ChatResponse r) {
    List<String> out = new ArrayList<>();
    for (ToolCall c : r.message().toolCalls()) {
      out.add(c.name() + " " + new TreeMap<>((Map<?, ?>) Json.parse(c.arguments())));
    }
    return out;
  }

  private static List<String> fromDeltas(List<ChatChunk> chunks) {
    Map<Integer, StringBuilder> args = new TreeMap<>();
    Map<Integer, String> names = new TreeMap<>();
    for (ChatChunk c : chunks) {
      for (ToolCallDelta d : c.toolCalls()) {
        d.name().ifPresent(n -> names.put(d.index(), n));
        args.computeIfAbsent(d.index(), i -> new StringBuilder()).append(d.argumentsFragment());
      }
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<Integer, String> e : names.entrySet()) {
      out.add(e.getValue() + " " + new TreeMap<>((Map<?, ?>) Json.parse(args.get(e.getKey()).toString())));
    }
    return out;
  }

  /** The arguments fit the tool's schema: the required keys with their types, enums and bounds. */
  static void assertValid(ToolCall c, String context) {
    Map<?, ?> args = assertInstanceOf(Map.class, Json.parse(c.arguments()), context + ": " + c);
    if (c.name().equals("get_weather")) {
      assertInstanceOf(String.class, args.get("city"), context + ": " + c);
      long days = assertInstanceOf(Long.class, args.get("days"), context + ": " + c);
      assertTrue(days >= 1 && days <= 7, context + ": " + c);
      assertTrue(List.of("celsius", "fahrenheit").contains(args.get("unit")), context + ": " + c);
      assertEquals(3, args.size(), context + ": no other properties: " + c);
    } else {
      assertEquals("get_time", c.name(), context);
      assertInstanceOf(String.class, args.get("zone"), context + ": " + c);
    }
  }
}
