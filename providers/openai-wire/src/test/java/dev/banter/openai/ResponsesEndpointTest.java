package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.ResponseFormat;
import dev.banter.api.Role;
import dev.banter.api.TokenLogprob;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.ToolChoice;
import dev.banter.api.Usage;
import dev.banter.openai.testing.ScriptedChatModel;
import dev.banter.spi.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /v1/responses} and {@code /v1/responses/{id}} against the real server on 127.0.0.1, over raw HTTP. */
@Timeout(30)
class ResponsesEndpointTest {
  private static final String KEY = "serve-key-0123456789";

  private Vertx vertx;
  private HttpServer server;
  private ScriptedChatModel model;
  private OpenAiServerHandler handler;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    model = new ScriptedChatModel();
    serve(b -> b);
  }

  private void serve(UnaryOperator<OpenAiServerHandler.Builder> settings) throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    handler = settings.apply(OpenAiServerHandler.builder(model).apiKey(Secret.of(KEY))).build();
    server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + KEY);
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(String body) throws Exception {
    HttpResponse<String> r = send("POST", "/v1/responses", body);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return Json.tree(r.body());
  }

  private String errorParam(String body) throws Exception {
    HttpResponse<String> r = send("POST", "/v1/responses", body);
    assertEquals(400, r.statusCode(), r.body());
    JsonNode error = Json.tree(r.body()).get("error");
    assertEquals("invalid_request_error", error.get("type").asText(), r.body());
    assertFalse(error.get("message").asText().isEmpty());
    return error.get("param").isNull() ? null : error.get("param").asText();
  }

  /** One server-sent event: its {@code event:} name and its data. */
  private record Event(String name, JsonNode data) {}

  private static List<Event> events(String body) throws Exception {
    List<Event> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
      out.add(new Event(name, Json.tree(data.toString())));
    }
    return out;
  }

  private List<Event> stream(String body) throws Exception {
    HttpResponse<String> r = send("POST", "/v1/responses", body);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    assertFalse(r.body().contains("[DONE]"), "a Responses stream ends with its last event, not [DONE]");
    List<Event> events = events(r.body());
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      assertEquals(e.name(), e.data().get("type").asText(), "the event name is the data's type");
      assertEquals(i, e.data().get("sequence_number").asInt(), "sequence numbers count up from 0 without gaps");
    }
    return events;
  }

  private static List<String> names(List<Event> events) {
    return events.stream().map(Event::name).toList();
  }

  @Test
  void string_input_is_one_user_message_and_the_answer_one_output_text() throws Exception {
    JsonNode r = ok("{\"model\":\"scripted\",\"input\":\"Hi\"}");
    assertTrue(r.get("id").asText().startsWith("resp_"), r.toString());
    assertEquals("response", r.get("object").asText());
    assertEquals("completed", r.get("status").asText());
    assertEquals("scripted", r.get("model").asText());
    assertTrue(r.get("created_at").asLong() > 0);
    assertTrue(r.get("error").isNull());
    assertTrue(r.get("incomplete_details").isNull());
    assertEquals(1, r.get("output").size());
    JsonNode message = r.at("/output/0");
    assertEquals("message", message.get("type").asText());
    assertTrue(message.get("id").asText().startsWith("msg_"));
    assertEquals("assistant", message.get("role").asText());
    assertEquals("completed", message.get("status").asText());
    assertEquals("output_text", message.at("/content/0/type").asText());
    assertEquals("Hello there!", message.at("/content/0/text").asText());
    assertEquals(0, message.at("/content/0/annotations").size());
    assertEquals(9, r.at("/usage/input_tokens").asInt());
    assertEquals(3, r.at("/usage/output_tokens").asInt());
    assertEquals(12, r.at("/usage/total_tokens").asInt());
    assertEquals(0, r.at("/usage/input_tokens_details/cached_tokens").asInt());
    assertEquals(0, r.at("/usage/output_tokens_details/reasoning_tokens").asInt());
    assertEquals(List.of(Message.user("Hi")), model.requests.get(0).messages());
  }

  @Test
  void logprobs_asked_through_include_ride_on_the_output_text_whole_and_streamed() throws Exception {
    TokenLogprob hel = new TokenLogprob("Hel", -0.25, List.of(72, 101, 108),
        List.of(new TokenLogprob.Alternative("Hi", -1.5, List.of(72, 105))));
    TokenLogprob lo = new TokenLogprob("lo", -0.5, List.of(108, 111), List.of());
    model.answer.set(ChatResponse.builder().text("Hello").usage(Usage.of(9, 2)).model("scripted")
        .logprobs(List.of(hel, lo)).build());
    model.chunks.set(List.of(ChatChunk.ofText("Hel").withLogprobs(List.of(hel)),
        ChatChunk.ofText("lo").withLogprobs(List.of(lo))));
    String ask = "{\"input\":\"Hi\",\"top_logprobs\":1,\"include\":[\"message.output_text.logprobs\"]";
    JsonNode r = ok(ask + "}");
    assertTrue(model.requests.get(0).options().logprobs());
    assertEquals(1, model.requests.get(0).options().topLogprobs().getAsInt());
    assertEquals(1, r.get("top_logprobs").asInt());
    JsonNode logprobs = r.at("/output/0/content/0/logprobs");
    assertEquals(2, logprobs.size(), r.toString());
    assertEquals("Hel", logprobs.at("/0/token").asText());
    assertEquals(-0.25, logprobs.at("/0/logprob").asDouble());
    assertEquals("[72,101,108]", logprobs.at("/0/bytes").toString());
    assertEquals("Hi", logprobs.at("/0/top_logprobs/0/token").asText());

    List<Event> events = stream(ask + ",\"stream\":true}");
    List<JsonNode> deltas = events.stream().filter(e -> e.name().equals("response.output_text.delta"))
        .map(e -> e.data().get("logprobs")).toList();
    assertEquals(2, deltas.size());
    assertEquals("Hel", deltas.get(0).at("/0/token").asText());
    assertEquals("lo", deltas.get(1).at("/0/token").asText());
    JsonNode done = events.stream().filter(e -> e.name().equals("response.output_text.done")).findFirst()
        .orElseThrow().data();
    assertEquals(2, done.get("logprobs").size());
    JsonNode completed = events.get(events.size() - 1).data();
    assertEquals(2, completed.at("/response/output/0/content/0/logprobs").size(), completed.toString());

    ok("{\"input\":\"Hi\"}");
    assertFalse(model.requests.get(model.requests.size() - 1).options().logprobs(), "not asked, not computed");
    assertEquals("top_logprobs", errorParam("{\"input\":\"Hi\",\"top_logprobs\":21}"));
  }

  @Test
  void item_input_with_instructions_becomes_the_messages_in_order() throws Exception {
    ok("{\"instructions\":\"Be terse.\",\"temperature\":0.2,\"top_p\":0.9,\"max_output_tokens\":50,"
        + "\"reasoning\":{\"effort\":\"low\"},\"input\":["
        + "{\"type\":\"message\",\"role\":\"developer\",\"content\":\"Answer in English.\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Capital \"},"
        + "{\"type\":\"input_text\",\"text\":\"of Norway?\"}]},"
        + "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Oslo.\","
        + "\"annotations\":[]}]},"
        + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[]},"
        + "{\"role\":\"user\",\"content\":\"And Sweden?\"}]}");
    ChatRequest got = model.requests.get(0);
    assertEquals(List.of(Message.system("Be terse."), Message.system("Answer in English."),
        Message.user("Capital of Norway?"), Message.assistant("Oslo."), Message.user("And Sweden?")), got.messages());
    assertEquals(0.2, got.options().temperature().getAsDouble());
    assertEquals(0.9, got.options().topP().getAsDouble());
    assertEquals(50, got.options().maxTokens().getAsInt());
  }

  @Test
  void a_function_call_comes_back_as_an_item_and_its_output_goes_back_as_a_tool_message() throws Exception {
    model.chunks.set(List.of(ChatChunk.ofToolCall(ToolCallDelta.start(0, "call_1", "get_weather", "{\"city\":")),
        ChatChunk.ofToolCall(ToolCallDelta.arguments(0, "\"Oslo\"}"))));
    model.finish.set(FinishReason.TOOL_CALLS);
    String tools = "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Weather now\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}},\"strict\":true}]";
    JsonNode r = ok("{\"input\":\"Weather in Oslo?\",\"tool_choice\":\"auto\",\"parallel_tool_calls\":false,"
        + tools + "}");
    assertEquals("completed", r.get("status").asText());
    assertEquals(1, r.get("output").size(), r.toString());
    JsonNode call = r.at("/output/0");
    assertEquals("function_call", call.get("type").asText());
    assertTrue(call.get("id").asText().startsWith("fc_"));
    assertEquals("call_1", call.get("call_id").asText());
    assertEquals("get_weather", call.get("name").asText());
    assertEquals("{\"city\":\"Oslo\"}", call.get("arguments").asText());
    assertEquals("completed", call.get("status").asText());
    assertEquals("get_weather", r.at("/tools/0/name").asText(), "the tools are echoed");
    assertFalse(r.get("parallel_tool_calls").asBoolean());
    ChatRequest first = model.requests.get(0);
    assertEquals("get_weather", first.tools().get(0).name());
    assertEquals("Weather now", first.tools().get(0).description());
    assertEquals("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}",
        first.tools().get(0).parametersSchema());
    assertEquals(ToolChoice.auto(), first.toolChoice().orElseThrow());
    assertEquals(java.util.Optional.of(false), first.parallelToolCalls());

    model.chunks.set(List.of(ChatChunk.ofText("4 degrees.")));
    model.finish.set(FinishReason.STOP);
    JsonNode answer = ok("{\"input\":[{\"role\":\"user\",\"content\":\"Weather in Oslo?\"}," + call
        + ",{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"{\\\"temp_c\\\":4}\"}],"
        + tools + "}");
    assertEquals("4 degrees.", answer.at("/output/0/content/0/text").asText());
    assertEquals(List.of(Message.user("Weather in Oslo?"),
        Message.assistant("", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"))),
        Message.tool("call_1", "{\"temp_c\":4}")), model.requests.get(1).messages());
  }

  @Test
  void reasoning_effort_none_turns_thinking_off_and_another_effort_on() throws Exception {
    JsonNode r = ok("{\"input\":\"Hi\",\"reasoning\":{\"effort\":\"none\"}}");
    assertEquals(false, model.requests.get(0).options().thinking().orElseThrow());
    assertEquals("none", r.at("/reasoning/effort").asText(), "the effort is echoed");
    ok("{\"input\":\"Hi\",\"reasoning\":{\"effort\":\"high\"}}");
    assertEquals(true, model.requests.get(1).options().thinking().orElseThrow());
    ok("{\"input\":\"Hi\",\"reasoning\":{\"summary\":\"auto\"}}");
    assertTrue(model.requests.get(2).options().thinking().isEmpty(), "no effort: the model's default");
    assertEquals("reasoning.effort", errorParam("{\"input\":\"x\",\"reasoning\":{\"effort\":3}}"));
  }

  @Test
  void text_format_json_schema_becomes_the_requests_response_format() throws Exception {
    String schema = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}";
    JsonNode r = ok("{\"input\":\"Who?\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"person\","
        + "\"schema\":" + schema + ",\"strict\":true}}}");
    assertEquals(ResponseFormat.jsonSchema("person", schema, true), model.requests.get(0).responseFormat());
    assertEquals("json_schema", r.at("/text/format/type").asText(), "the format is echoed");
    assertEquals("person", r.at("/text/format/name").asText());
    ok("{\"input\":\"Any JSON\",\"text\":{\"format\":{\"type\":\"json_object\"}}}");
    assertEquals(ResponseFormat.jsonObject(), model.requests.get(1).responseFormat());
  }

  @Test
  void a_stream_announces_each_step_and_ends_with_the_same_response_it_keeps() throws Exception {
    List<Event> events = stream("{\"model\":\"scripted\",\"input\":\"Hi\",\"stream\":true}");
    assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed"), names(events));
    JsonNode created = events.get(0).data().get("response");
    assertEquals("in_progress", created.get("status").asText());
    assertEquals(0, created.get("output").size());
    StringBuilder deltas = new StringBuilder();
    String itemId = events.get(2).data().at("/item/id").asText();
    for (Event e : events) {
      if (e.name().equals("response.output_text.delta")) {
        deltas.append(e.data().get("delta").asText());
        assertEquals(itemId, e.data().get("item_id").asText());
        assertEquals(0, e.data().get("output_index").asInt());
        assertEquals(0, e.data().get("content_index").asInt());
      }
    }
    assertEquals("Hello there!", deltas.toString());
    assertEquals("Hello there!", events.get(7).data().get("text").asText());
    JsonNode done = events.get(10).data().get("response");
    assertEquals(created.get("id"), done.get("id"));
    assertEquals("completed", done.get("status").asText());
    assertEquals("Hello there!", done.at("/output/0/content/0/text").asText());
    assertEquals(itemId, done.at("/output/0/id").asText());
    assertEquals(events.get(9).data().get("item"), done.at("/output/0"));
    assertEquals(12, done.at("/usage/total_tokens").asInt());

    HttpResponse<String> kept = send("GET", "/v1/responses/" + done.get("id").asText(), null);
    assertEquals(200, kept.statusCode(), kept.body());
    assertEquals(done, Json.tree(kept.body()), "the kept response is the one response.completed carried");
  }

  @Test
  void reasoning_and_function_calls_stream_as_their_own_items() throws Exception {
    model.chunks.set(List.of(ChatChunk.ofReasoning("Need "), ChatChunk.ofReasoning("weather."),
        ChatChunk.ofToolCall(ToolCallDelta.start(0, "call_9", "get_weather", "{\"city\":")),
        ChatChunk.ofToolCall(ToolCallDelta.arguments(0, "\"Oslo\"}"))));
    model.finish.set(FinishReason.TOOL_CALLS);
    List<Event> events = stream("{\"input\":\"Weather?\",\"stream\":true,\"tools\":[{\"type\":\"function\","
        + "\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}");
    assertEquals(List.of("response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added", "response.reasoning_text.delta",
        "response.reasoning_text.delta", "response.reasoning_text.done", "response.content_part.done",
        "response.output_item.done",
        "response.output_item.added", "response.function_call_arguments.delta",
        "response.function_call_arguments.delta", "response.function_call_arguments.done",
        "response.output_item.done", "response.completed"), names(events));
    assertEquals("reasoning", events.get(2).data().at("/item/type").asText());
    assertEquals("Need weather.", events.get(6).data().get("text").asText());
    assertEquals(1, events.get(9).data().get("output_index").asInt());
    assertEquals("{\"city\":\"Oslo\"}", events.get(12).data().get("arguments").asText());
    JsonNode done = events.get(14).data().get("response");
    assertEquals("reasoning", done.at("/output/0/type").asText());
    assertEquals("Need weather.", done.at("/output/0/content/0/text").asText());
    assertEquals("function_call", done.at("/output/1/type").asText());
    assertEquals("call_9", done.at("/output/1/call_id").asText());
  }

  @Test
  void the_token_limit_makes_the_response_incomplete_for_max_output_tokens() throws Exception {
    JsonNode whole = ok("{\"input\":\"Hi\",\"max_output_tokens\":2}");
    assertEquals("incomplete", whole.get("status").asText());
    assertEquals("max_output_tokens", whole.at("/incomplete_details/reason").asText());
    assertEquals("Hello there", whole.at("/output/0/content/0/text").asText());
    assertEquals("incomplete", whole.at("/output/0/status").asText());
    assertEquals(2, whole.get("max_output_tokens").asInt());

    List<Event> events = stream("{\"input\":\"Hi\",\"max_output_tokens\":2,\"stream\":true}");
    Event last = events.get(events.size() - 1);
    assertEquals("response.incomplete", last.name());
    assertEquals("incomplete", last.data().at("/response/status").asText());
    assertEquals("max_output_tokens", last.data().at("/response/incomplete_details/reason").asText());
  }

  @Test
  void invalid_requests_get_400_naming_the_parameter_in_wire_form() throws Exception {
    assertEquals("input", errorParam("{\"model\":\"scripted\"}"));
    assertEquals("input", errorParam("{\"input\":[]}"));
    assertEquals("input[0].content[0].type", errorParam("{\"input\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"input_image\",\"image_url\":\"https://x/y.png\"}]}]}"));
    assertEquals("input[0].role",
        errorParam("{\"input\":[{\"type\":\"message\",\"role\":\"robot\",\"content\":\"x\"}]}"));
    assertEquals("input[1].call_id", errorParam("{\"input\":[{\"role\":\"user\",\"content\":\"x\"},"
        + "{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{}\"}]}"));
    assertEquals("input[0].type", errorParam("{\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}"));
    assertEquals("text.format", errorParam("{\"input\":\"x\",\"text\":{\"format\":{\"type\":\"xml\"}}}"));
    assertEquals("text.format", errorParam("{\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\","
        + "\"name\":\"p\"}}}"));
    assertEquals("tools[0].type", errorParam("{\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}"));
    assertEquals("tools[1].name", errorParam("{\"input\":\"x\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"},"
        + "{\"type\":\"function\"}]}"));
    assertEquals("tool_choice", errorParam("{\"input\":\"x\",\"tool_choice\":\"sometimes\"}"));
    assertEquals("temperature", errorParam("{\"input\":\"x\",\"temperature\":7}"));
    assertEquals("max_output_tokens", errorParam("{\"input\":\"x\",\"max_output_tokens\":0}"));
    assertEquals("max_output_tokens", errorParam("{\"input\":\"x\",\"max_output_tokens\":\"many\"}"));
    assertEquals("previous_response_id", errorParam("{\"input\":\"x\",\"previous_response_id\":\"resp_nope\"}"));
    assertEquals("background", errorParam("{\"input\":\"x\",\"background\":true}"));
    assertEquals(null, errorParam("{nope"));
    assertTrue(model.requests.isEmpty(), "no invalid request reached the model");
  }

  @Test
  void previous_response_id_continues_a_kept_conversation_and_a_deleted_one_is_gone() throws Exception {
    JsonNode first = ok("{\"instructions\":\"Be terse.\",\"input\":\"Hi\"}");
    assertTrue(first.get("store").asBoolean());
    String id = first.get("id").asText();
    ok("{\"instructions\":\"Be kind.\",\"previous_response_id\":\"" + id + "\",\"input\":\"Again\"}");
    assertEquals(List.of(Message.system("Be kind."), Message.user("Hi"), Message.assistant("Hello there!"),
        Message.user("Again")), model.requests.get(1).messages(), "earlier instructions are not carried over");

    HttpResponse<String> deleted = send("DELETE", "/v1/responses/" + id, null);
    assertEquals(200, deleted.statusCode(), deleted.body());
    assertTrue(Json.tree(deleted.body()).get("deleted").asBoolean());
    assertEquals(404, send("GET", "/v1/responses/" + id, null).statusCode());

    JsonNode unstored = ok("{\"input\":\"Hi\",\"store\":false}");
    assertFalse(unstored.get("store").asBoolean());
    assertEquals(404, send("GET", "/v1/responses/" + unstored.get("id").asText(), null).statusCode());
  }

  @Test
  void a_server_that_keeps_no_responses_refuses_previous_response_id() throws Exception {
    serve(b -> b.responseStoreBytes(0));
    JsonNode r = ok("{\"input\":\"Hi\"}");
    assertFalse(r.get("store").asBoolean());
    assertEquals(404, send("GET", "/v1/responses/" + r.get("id").asText(), null).statusCode());
    assertEquals("previous_response_id",
        errorParam("{\"input\":\"x\",\"previous_response_id\":\"" + r.get("id").asText() + "\"}"));
  }

  @Test
  void the_store_evicts_the_least_recently_used_response_beyond_its_size() throws Exception {
    serve(b -> b.responseStoreBytes(6_000));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(ok("{\"input\":\"Hi " + i + "\"}").get("id").asText());
    }
    assertEquals(404, send("GET", "/v1/responses/" + ids.get(0), null).statusCode(), "the oldest was evicted");
    assertEquals(200, send("GET", "/v1/responses/" + ids.get(9), null).statusCode(), "the newest is kept");
  }

  @Test
  void a_client_that_leaves_a_stream_cancels_the_generation_and_frees_its_slot() throws Exception {
    model.delayMillis = 50;
    model.chunks.set(Collections.nCopies(400, ChatChunk.ofText("tick ")));
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      String body = "{\"input\":\"x\",\"stream\":true}";
      socket.getOutputStream().write(("POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buf = new byte[4096];
      while (!seen.toString().contains("response.output_text.delta")) {
        int n = in.read(buf);
        assertTrue(n > 0, "the stream ended early: " + seen);
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      assertTrue(seen.toString().startsWith("HTTP/1.1 200"), seen.toString());
    }
    assertTrue(model.cancelled.await(5, TimeUnit.SECONDS), "the client left, so the model's work is cancelled");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (handler.inFlight() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, handler.inFlight(), "the slot frees once the generation has stopped");
  }

  @Test
  void a_failure_before_the_first_event_gets_a_real_status_and_after_it_an_error_event() throws Exception {
    model.failure.set(new dev.banter.api.BackendUnavailableException("down", "scripted", null));
    HttpResponse<String> early = send("POST", "/v1/responses", "{\"input\":\"x\",\"stream\":true}");
    assertEquals(503, early.statusCode(), early.body());
    model.failAfterChunks = 1;
    List<Event> events = stream("{\"input\":\"x\",\"stream\":true}");
    List<String> names = names(events);
    assertEquals("error", names.get(names.size() - 2), names.toString());
    assertEquals("unavailable", events.get(events.size() - 2).data().get("code").asText());
    Event last = events.get(events.size() - 1);
    assertEquals("response.failed", last.name());
    assertEquals("failed", last.data().at("/response/status").asText());
    assertEquals("Hel", last.data().at("/response/output/0/content/0/text").asText());
  }

  @Test
  void responses_are_counted_in_the_metrics_like_chat_completions() throws Exception {
    ok("{\"input\":\"Hi\"}");
    stream("{\"input\":\"Hi\",\"stream\":true}");
    errorParam("{\"input\":[]}");
    assertEquals(404, send("GET", "/v1/responses/resp_gone", null).statusCode());
    String metrics = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!metrics.contains("banter_chat_completions_total{outcome=\"stop\"} 2") && System.nanoTime() < deadline) {
      metrics = send("GET", "/metrics", null).body();
      Thread.sleep(10);
    }
    assertTrue(metrics.contains("banter_http_responses_total{endpoint=\"/v1/responses\",status=\"200\"} 2"), metrics);
    assertTrue(metrics.contains("banter_http_responses_total{endpoint=\"/v1/responses\",status=\"400\"} 1"), metrics);
    assertTrue(metrics.contains("banter_chat_completions_total{outcome=\"stop\"} 2"), metrics);
    assertTrue(metrics.contains("banter_prompt_tokens_total 18"), metrics);
    assertTrue(metrics.contains("banter_http_responses_total{endpoint=\"/v1/responses/{id}\",status=\"404\"} 1"),
        "ids do not become labels: " + metrics);
  }

  @Test
  void an_unknown_model_gets_404_on_model_and_a_missing_key_401() throws Exception {
    HttpResponse<String> unknown = send("POST", "/v1/responses", "{\"model\":\"gpt-9\",\"input\":\"x\"}");
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertEquals("model", Json.tree(unknown.body()).at("/error/param").asText());
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/responses"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"input\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());
    HttpResponse<String> wrongMethod = send("PUT", "/v1/responses/resp_x", "{}");
    assertEquals(405, wrongMethod.statusCode());
    assertTrue(model.requests.isEmpty());
  }

  @Test
  void the_role_of_a_developer_message_is_system() throws Exception {
    ok("{\"input\":[{\"role\":\"developer\",\"content\":\"d\"},{\"role\":\"user\",\"content\":\"u\"}]}");
    assertEquals(Role.SYSTEM, model.requests.get(0).messages().get(0).role());
  }
}
