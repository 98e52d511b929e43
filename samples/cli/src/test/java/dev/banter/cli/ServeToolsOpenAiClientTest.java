package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.models.Model;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.StructuredResponse;
import com.openai.models.responses.ToolChoiceOptions;
import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code banter serve} on the bundled demo model, spoken to by the official OpenAI Java client: forced
 * tool calls, JSON and schema output, logprobs, the model resource and the Responses API (issue #16).
 * The demo model knows no tools, so its calls take the generic JSON form; whatever it writes, the
 * grammar keeps the answers to the shapes asked for.
 */
@Timeout(300)
class ServeToolsOpenAiClientTest {
  private static final String KEY = "tools-key-5b7e21";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A tool whose arguments the grammar must keep within bounds: a short city and a unit. */
  private static final String WEATHER_SCHEMA = "{\"type\":\"object\",\"properties\":{"
      + "\"city\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":12},"
      + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
      + "\"required\":[\"city\",\"unit\"],\"additionalProperties\":false}";
  private static final String DICE_SCHEMA = "{\"type\":\"object\",\"properties\":{"
      + "\"sides\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":20}},"
      + "\"required\":[\"sides\"],\"additionalProperties\":false}";

  @TempDir
  static Path home;

  private static Served served;
  private static OpenAIClient client;
  private static String model;

  @BeforeAll
  static void start() throws Exception {
    // The demo model's own window is 256 tokens; tool instructions need more. The Responses API
    // has no seed, so the server's default seed makes its answers repeatable.
    served = Served.start(home, "--api-key", KEY, "--set", "context=1024", "--seed", "11");
    client = OpenAIOkHttpClient.builder().baseUrl(served.baseUrl).apiKey(KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(120)).build();
    model = client.models().list().data().get(0).id();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (served != null) {
      served.close();
    }
  }

  private static ChatCompletionCreateParams.Builder ask(String text) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(text).maxCompletionTokens(120).seed(11);
  }

  private static ChatCompletionFunctionTool tool(String name, String description, String schema) {
    FunctionParameters.Builder p = FunctionParameters.builder();
    parse(schema).fields().forEachRemaining(e -> p.putAdditionalProperty(e.getKey(),
        JsonValue.fromJsonNode(e.getValue())));
    return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name(name)
        .description(description).parameters(p.build()).build()).build();
  }

  private static ChatCompletionCreateParams.Builder withTools(String text) {
    // The generic call form spends tokens on its wrapper; the schemas bound the rest.
    return ask(text).maxCompletionTokens(200)
        .addTool(tool("get_weather", "The weather now in a city", WEATHER_SCHEMA))
        .addTool(tool("roll_dice", "Rolls one die", DICE_SCHEMA));
  }

  private static final Map<String, String> SCHEMAS = Map.of("get_weather", WEATHER_SCHEMA, "roll_dice", DICE_SCHEMA);

  @Test
  void a_required_tool_choice_comes_back_as_a_call_with_valid_arguments() {
    ChatCompletion c = client.chat().completions().create(withTools("Is it raining in Oslo?")
        .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());
    c.validate();
    ChatCompletion.Choice choice = c.choices().get(0);
    assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
    List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
    assertEquals(1, calls.size(), "a forced choice is one call");
    ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
    assertFalse(call.id().isEmpty());
    String name = call.function().name();
    assertTrue(SCHEMAS.containsKey(name), name);
    assertValid(SCHEMAS.get(name), call.function().arguments());
  }

  @Test
  void a_required_tool_choice_streams_deltas_that_add_up_to_a_valid_call() {
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        withTools("Roll a die for me.").toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build())) {
      chunks = stream.stream().peek(acc::accumulate).collect(Collectors.toList());
    }
    assertTrue(chunks.size() >= 2, "chunks: " + chunks.size());
    ChatCompletion whole = acc.chatCompletion();
    whole.validate();
    ChatCompletion.Choice choice = whole.choices().get(0);
    assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
    List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
    assertEquals(1, calls.size());
    ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
    assertFalse(call.id().isEmpty());
    assertValid(SCHEMAS.get(call.function().name()), call.function().arguments());
  }

  @Test
  void a_named_tool_choice_calls_that_function() {
    for (String name : List.of("roll_dice", "get_weather")) {
      ChatCompletion c = client.chat().completions().create(withTools("Tell me a fortune.")
          .toolChoice(ChatCompletionNamedToolChoice.builder().function(
              ChatCompletionNamedToolChoice.Function.builder().name(name).build()).build()).build());
      ChatCompletion.Choice choice = c.choices().get(0);
      assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
      List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
      assertEquals(1, calls.size());
      assertEquals(name, calls.get(0).asFunction().function().name());
      assertValid(SCHEMAS.get(name), calls.get(0).asFunction().function().arguments());
    }
  }

  @Test
  void a_json_object_response_format_gives_a_json_object() throws Exception {
    ChatCompletion c = client.chat().completions().create(ask("Describe your mood as JSON.")
        .responseFormat(ResponseFormatJsonObject.builder().build()).maxCompletionTokens(200).build());
    ChatCompletion.Choice choice = c.choices().get(0);
    String content = choice.message().content().orElseThrow();
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason(), content);
    assertTrue(JSON.readTree(content).isObject(), content);
  }

  /** A tiny answer shape, so that the demo model always finishes it. */
  static final class Verdict {
    enum Mood { HAPPY, GLUM, CURIOUS }

    @JsonProperty(required = true)
    public Mood mood;

    @JsonProperty(required = true)
    @Schema(minimum = "1", maximum = "5")
    public int stars;
  }

  @Test
  void a_json_schema_from_a_class_is_parsed_back_by_the_client() {
    StructuredChatCompletion<Verdict> c = client.chat().completions().create(ask("How was your day?")
        .responseFormat(Verdict.class).build());
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
    Verdict v = c.choices().get(0).message().content().orElseThrow();
    assertTrue(v.mood != null, "mood is required");
    assertTrue(v.stars >= 1 && v.stars <= 5, "stars within bounds: " + v.stars);
  }

  @Test
  void logprobs_come_one_per_generated_token_with_the_top_three() {
    ChatCompletion c = client.chat().completions().create(ask("I lost my keys.").maxCompletionTokens(24)
        .logprobs(true).topLogprobs(3).build());
    List<ChatCompletionTokenLogprob> entries = c.choices().get(0).logprobs().orElseThrow().content().orElseThrow();
    assertEquals(c.usage().orElseThrow().completionTokens(), entries.size(), "one entry per generated token");
    String text = c.choices().get(0).message().content().orElse("");
    StringBuilder joined = new StringBuilder();
    for (ChatCompletionTokenLogprob e : entries) {
      assertTrue(e.logprob() <= 0, e.toString());
      assertEquals(3, e.topLogprobs().size(), e.toString());
      double previous = 0;
      for (ChatCompletionTokenLogprob.TopLogprob top : e.topLogprobs()) {
        assertTrue(top.logprob() <= previous, "top entries come most likely first: " + e);
        previous = top.logprob();
      }
      assertTrue(e.logprob() <= e.topLogprobs().get(0).logprob() + 1e-6, "the best alternative is at least as likely");
      joined.append(e.token());
    }
    // The answer drops the space the first token opens with; otherwise the tokens spell it.
    assertEquals(text.stripLeading(), joined.toString().stripLeading());
  }

  @Test
  void streamed_logprobs_add_up_to_the_same_entries_as_the_whole_answer() {
    ChatCompletionCreateParams params = ask("I lost my keys.").maxCompletionTokens(16).logprobs(true).topLogprobs(2)
        .build();
    ChatCompletion whole = client.chat().completions().create(params);
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(acc::accumulate);
    }
    List<ChatCompletionTokenLogprob> expected = whole.choices().get(0).logprobs().orElseThrow().content()
        .orElseThrow();
    List<ChatCompletionTokenLogprob> streamed = acc.chatCompletion().choices().get(0).logprobs().orElseThrow()
        .content().orElseThrow();
    assertEquals(expected.stream().map(ChatCompletionTokenLogprob::token).collect(Collectors.toList()),
        streamed.stream().map(ChatCompletionTokenLogprob::token).collect(Collectors.toList()));
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).logprob(), streamed.get(i).logprob(), 1e-9);
      assertEquals(2, streamed.get(i).topLogprobs().size());
    }
  }

  @Test
  void the_served_model_is_retrieved_by_its_id() {
    Model m = client.models().retrieve(model);
    m.validate();
    assertEquals(model, m.id());
  }

  private static String text(Response r) {
    return r.output().stream().flatMap(item -> item.message().stream()).flatMap(m -> m.content().stream())
        .flatMap(c -> c.outputText().stream()).map(t -> t.text()).collect(Collectors.joining());
  }

  private static ResponseCreateParams.Builder respond(String input) {
    return ResponseCreateParams.builder().model(model).input(input).maxOutputTokens(60L);
  }

  @Test
  void the_responses_api_answers_whole_and_streamed_alike() {
    Response whole = client.responses().create(respond("I need a holiday.").build());
    whole.validate();
    assertEquals(ResponseStatus.COMPLETED, whole.status().orElseThrow());
    assertFalse(text(whole).isBlank());
    assertTrue(whole.usage().orElseThrow().outputTokens() > 0);

    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        respond("I need a holiday.").build())) {
      events = stream.stream().collect(Collectors.toList());
    }
    events.forEach(ResponseStreamEvent::validate);
    String deltas = events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta())
        .collect(Collectors.joining());
    Response done = events.get(events.size() - 1).completed().orElseThrow().response();
    assertEquals(text(done), deltas);
    assertEquals(text(whole), deltas, "same seed, same answer");
  }

  private static FunctionTool weatherTool() {
    FunctionTool.Parameters.Builder p = FunctionTool.Parameters.builder();
    parse(WEATHER_SCHEMA).fields().forEachRemaining(e -> p.putAdditionalProperty(e.getKey(),
        JsonValue.fromJsonNode(e.getValue())));
    return FunctionTool.builder().name("get_weather").description("The weather now in a city")
        .strict(true).parameters(p.build()).build();
  }

  @Test
  void the_responses_api_returns_a_forced_function_call_with_valid_arguments() {
    Response r = client.responses().create(respond("Weather in Oslo?").maxOutputTokens(160L).addTool(weatherTool())
        .toolChoice(ToolChoiceOptions.REQUIRED).build());
    r.validate();
    List<ResponseFunctionToolCall> calls = r.output().stream().flatMap(i -> i.functionCall().stream())
        .collect(Collectors.toList());
    assertEquals(1, calls.size(), r.output().toString());
    assertEquals("get_weather", calls.get(0).name());
    assertFalse(calls.get(0).callId().isEmpty());
    assertValid(WEATHER_SCHEMA, calls.get(0).arguments());
  }

  @Test
  void the_responses_api_streams_a_forced_function_call() {
    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        respond("Weather in Oslo?").maxOutputTokens(160L).addTool(weatherTool())
            .toolChoice(ToolChoiceOptions.REQUIRED).build())) {
      events = stream.stream().collect(Collectors.toList());
    }
    events.forEach(ResponseStreamEvent::validate);
    String deltas = events.stream().flatMap(e -> e.functionCallArgumentsDelta().stream()).map(d -> d.delta())
        .collect(Collectors.joining());
    List<String> done = events.stream().flatMap(e -> e.functionCallArgumentsDone().stream())
        .map(d -> d.arguments()).collect(Collectors.toList());
    assertEquals(List.of(deltas), done, "the deltas add up to the one call's arguments");
    assertValid(WEATHER_SCHEMA, deltas);
    Response r = events.get(events.size() - 1).completed().orElseThrow().response();
    ResponseFunctionToolCall call = r.output().stream().flatMap(i -> i.functionCall().stream()).findFirst()
        .orElseThrow();
    assertEquals("get_weather", call.name());
    assertEquals(deltas, call.arguments());
  }

  @Test
  void the_responses_api_parses_a_class_schema_answer_back() {
    StructuredResponse<Verdict> r = client.responses().create(respond("How was your day?").text(Verdict.class)
        .build());
    Verdict v = r.output().stream().flatMap(i -> i.message().stream()).flatMap(m -> m.content().stream())
        .flatMap(c -> c.outputText().stream()).findFirst().orElseThrow();
    assertTrue(v.mood != null, "mood is required");
    assertTrue(v.stars >= 1 && v.stars <= 5, "stars within bounds: " + v.stars);
  }

  // ---- a small JSON Schema check: the keywords the schemas above use

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static void assertValid(String schema, String json) {
    List<String> problems = new ArrayList<>();
    check(parse(schema), parse(json), "$", problems);
    assertTrue(problems.isEmpty(), json + " against " + schema + ": " + problems);
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode allowed : schema.get("enum")) {
        found |= allowed.equals(value);
      }
      if (!found) {
        problems.add(path + " is not one of " + schema.get("enum"));
      }
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> {
        if (!value.isObject()) {
          problems.add(path + " is not an object");
          return;
        }
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
          if (!value.has(required.asText())) {
            problems.add(path + " lacks " + required.asText());
          }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (properties.has(e.getKey())) {
            check(properties.get(e.getKey()), e.getValue(), path + "." + e.getKey(), problems);
          } else if (schema.path("additionalProperties").isBoolean()
              && !schema.get("additionalProperties").asBoolean()) {
            problems.add(path + " has an unknown member " + e.getKey());
          }
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          problems.add(path + " is not a string");
          return;
        }
        int length = value.asText().codePointCount(0, value.asText().length());
        if (length < schema.path("minLength").asInt(0) || length > schema.path("maxLength").asInt(Integer.MAX_VALUE)) {
          problems.add(path + " has " + length + " characters");
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          problems.add(path + " is not an integer");
          return;
        }
        if (schema.has("minimum") && value.asLong() < schema.get("minimum").asLong()
            || schema.has("maximum") && value.asLong() > schema.get("maximum").asLong()) {
          problems.add(path + " is out of bounds: " + value);
        }
      }
      case "" -> { }
      default -> throw new AssertionError("the check does not know type " + type);
    }
  }
}
