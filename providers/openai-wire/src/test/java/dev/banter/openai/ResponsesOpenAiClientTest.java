package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.TokenLogprob;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
import dev.banter.openai.testing.ServedModel;
import dev.banter.spi.Secret;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /v1/responses}, spoken to by the official OpenAI Java client; every object it reads must validate. */
@Timeout(60)
class ResponsesOpenAiClientTest {
  private static final String KEY = "serve-key-0123456789";

  private ServedModel served;
  private OpenAIClient client;

  @BeforeEach
  void start() {
    served = new ServedModel(b -> b.apiKey(Secret.of(KEY)));
    client = OpenAIOkHttpClient.builder().baseUrl(served.baseUrl()).apiKey(KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  @AfterEach
  void stop() {
    client.close();
    served.close();
  }

  private static String text(Response r) {
    return r.output().stream().flatMap(item -> item.message().stream())
        .flatMap(m -> m.content().stream()).flatMap(c -> c.outputText().stream())
        .map(t -> t.text()).collect(Collectors.joining());
  }

  @Test
  void a_response_comes_back_whole_and_validates() {
    Response r = client.responses().create(ResponseCreateParams.builder().model("scripted").input("Hi")
        .instructions("Be terse.").maxOutputTokens(100).build());
    r.validate();
    assertEquals(ResponseStatus.COMPLETED, r.status().orElseThrow());
    assertEquals("Hello there!", text(r));
    assertEquals(12, r.usage().orElseThrow().totalTokens());
    assertEquals(List.of(Message.system("Be terse."), Message.user("Hi")),
        served.model.requests.get(0).messages());
    assertEquals(r.id(), client.responses().retrieve(r.id()).id(), "a kept response is retrieved by its id");
  }

  @Test
  void a_streamed_response_delivers_deltas_and_ends_completed_with_the_same_text() {
    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ResponseCreateParams.builder().model("scripted").input("Hi").build())) {
      events = stream.stream().collect(Collectors.toList());
    }
    events.forEach(ResponseStreamEvent::validate);
    assertTrue(events.get(0).created().isPresent());
    String deltas = events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta())
        .collect(Collectors.joining());
    assertEquals("Hello there!", deltas);
    Response done = events.get(events.size() - 1).completed().orElseThrow().response();
    assertEquals("Hello there!", text(done));
    for (int i = 1; i < events.size(); i++) {
      assertTrue(sequence(events.get(i)) > sequence(events.get(i - 1)), "sequence numbers increase");
    }
  }

  @Test
  void streamed_reasoning_and_function_call_events_validate() {
    served.model.chunks.set(List.of(ChatChunk.ofReasoning("Need weather."),
        ChatChunk.ofToolCall(ToolCallDelta.start(0, "call_8", "get_weather", "{\"city\":")),
        ChatChunk.ofToolCall(ToolCallDelta.arguments(0, "\"Oslo\"}"))));
    served.model.finish.set(FinishReason.TOOL_CALLS);
    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ResponseCreateParams.builder().model("scripted").input("Weather?").build())) {
      events = stream.stream().collect(Collectors.toList());
    }
    events.forEach(ResponseStreamEvent::validate);
    assertEquals("Need weather.", events.stream().flatMap(e -> e.reasoningTextDone().stream())
        .map(d -> d.text()).collect(Collectors.joining()));
    assertEquals("{\"city\":\"Oslo\"}", events.stream().flatMap(e -> e.functionCallArgumentsDone().stream())
        .map(d -> d.arguments()).collect(Collectors.joining()));
    Response done = events.get(events.size() - 1).completed().orElseThrow().response();
    assertTrue(done.output().get(0).reasoning().isPresent());
    assertEquals("call_8", done.output().get(1).functionCall().orElseThrow().callId());
  }

  @Test
  void logprobs_come_back_through_the_official_client_whole_and_streamed() {
    TokenLogprob hel = new TokenLogprob("Hel", -0.25, List.of(72, 101, 108),
        List.of(new TokenLogprob.Alternative("Hi", -1.5, List.of(72, 105))));
    TokenLogprob lo = new TokenLogprob("lo", -0.5, List.of(108, 111), List.of());
    served.model.answer.set(ChatResponse.builder().text("Hello").usage(Usage.of(9, 2)).model("scripted")
        .logprobs(List.of(hel, lo)).build());
    served.model.chunks.set(List.of(ChatChunk.ofText("Hel").withLogprobs(List.of(hel)),
        ChatChunk.ofText("lo").withLogprobs(List.of(lo))));
    ResponseCreateParams params = ResponseCreateParams.builder().model("scripted").input("Hi").topLogprobs(1L)
        .addInclude(ResponseIncludable.MESSAGE_OUTPUT_TEXT_LOGPROBS).build();
    Response r = client.responses().create(params);
    r.validate();
    List<ResponseOutputText.Logprob> whole = r.output().get(0).message().orElseThrow().content().get(0).outputText()
        .orElseThrow().logprobs().orElseThrow();
    assertEquals(List.of("Hel", "lo"), whole.stream().map(ResponseOutputText.Logprob::token).toList());
    assertEquals(-0.25, whole.get(0).logprob());
    assertEquals(List.of(72L, 101L, 108L), whole.get(0).bytes());
    assertEquals("Hi", whole.get(0).topLogprobs().get(0).token());
    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
      events = stream.stream().collect(Collectors.toList());
    }
    events.forEach(ResponseStreamEvent::validate);
    assertEquals(List.of("Hel", "lo"), events.stream().flatMap(e -> e.outputTextDelta().stream())
        .flatMap(d -> d.logprobs().stream()).map(l -> l.token()).toList());
  }

  /** The sequence number of the kinds of event a text answer streams. */
  private static long sequence(ResponseStreamEvent e) {
    return e.created().map(x -> x.sequenceNumber())
        .or(() -> e.inProgress().map(x -> x.sequenceNumber()))
        .or(() -> e.outputItemAdded().map(x -> x.sequenceNumber()))
        .or(() -> e.contentPartAdded().map(x -> x.sequenceNumber()))
        .or(() -> e.outputTextDelta().map(x -> x.sequenceNumber()))
        .or(() -> e.outputTextDone().map(x -> x.sequenceNumber()))
        .or(() -> e.contentPartDone().map(x -> x.sequenceNumber()))
        .or(() -> e.outputItemDone().map(x -> x.sequenceNumber()))
        .or(() -> e.completed().map(x -> x.sequenceNumber()))
        .orElseThrow(() -> new AssertionError("unexpected event " + e));
  }

  @Test
  void a_function_call_round_trip_goes_through_the_official_client() {
    served.model.chunks.set(List.of(ChatChunk.ofToolCall(ToolCallDelta.start(0, "call_7", "get_weather",
        "{\"city\":\"Oslo\"}"))));
    served.model.finish.set(FinishReason.TOOL_CALLS);
    FunctionTool tool = FunctionTool.builder().name("get_weather").description("Weather now").strict(false)
        .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .build()).build();
    Response first = client.responses().create(ResponseCreateParams.builder().model("scripted")
        .input("Weather in Oslo?").addTool(tool).build());
    first.validate();
    ResponseFunctionToolCall call = first.output().get(0).functionCall().orElseThrow();
    assertEquals("call_7", call.callId());
    assertEquals("get_weather", call.name());
    assertEquals("{\"city\":\"Oslo\"}", call.arguments());

    served.model.chunks.set(List.of(ChatChunk.ofText("4 degrees.")));
    served.model.finish.set(FinishReason.STOP);
    Response second = client.responses().create(ResponseCreateParams.builder().model("scripted")
        .previousResponseId(first.id()).addTool(tool).inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(
            ResponseInputItem.FunctionCallOutput.builder().callId(call.callId()).output("{\"temp_c\":4}").build())))
        .build());
    assertEquals("4 degrees.", text(second));
    assertEquals(List.of(Message.user("Weather in Oslo?"),
        Message.assistant("", List.of(new ToolCall("call_7", "get_weather", "{\"city\":\"Oslo\"}"))),
        Message.tool("call_7", "{\"temp_c\":4}")), served.model.requests.get(1).messages(),
        "previous_response_id carried the call, the new input its output");
  }
}
