package dev.banter.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.GenerationOptions;
import dev.banter.core.Banter;
import dev.banter.core.Resilience;
import dev.banter.samples.eliza.ElizaProvider;
import dev.banter.spi.testkit.DownBackendProvider;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real chat calls through core, exported to OpenTelemetry's in-memory span exporter and metric reader. */
class OpenTelemetryObserverTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
      .build();

  @AfterEach
  void close() {
    otel.close();
  }

  private ChatModel eliza() {
    return Banter.builder().backend("eliza").provider(new ElizaProvider()).persona("witty")
        .observer(OpenTelemetryObserver.create(otel)).build();
  }

  private static <T> T attr(SpanData span, AttributeKey<T> key) {
    return span.getAttributes().get(key);
  }

  @Test
  void a_call_is_a_client_span_with_the_genai_request_and_response_attributes() {
    ChatResponse r;
    try (ChatModel model = eliza()) {
      r = model.chat(ChatRequest.builder().user("I feel happy today.").model("eliza-1966")
          .options(GenerationOptions.builder().maxTokens(40).temperature(0.7).topP(0.9).topK(40).seed(7)
              .stop(List.of("END")).build()).build());
    }
    SpanData span = spans.getFinishedSpanItems().get(0);
    assertEquals("chat eliza-1966", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals("chat", attr(span, GenAi.OPERATION_NAME));
    assertEquals("eliza", attr(span, GenAi.PROVIDER_NAME));
    assertEquals("eliza-1966", attr(span, GenAi.REQUEST_MODEL));
    assertEquals(40L, attr(span, GenAi.REQUEST_MAX_TOKENS));
    assertEquals(0.7, attr(span, GenAi.REQUEST_TEMPERATURE));
    assertEquals(0.9, attr(span, GenAi.REQUEST_TOP_P));
    assertEquals(40.0, attr(span, GenAi.REQUEST_TOP_K));
    assertEquals(7L, attr(span, GenAi.REQUEST_SEED));
    assertEquals(List.of("END"), attr(span, GenAi.REQUEST_STOP_SEQUENCES));
    assertEquals("text", attr(span, GenAi.OUTPUT_TYPE));
    assertEquals("eliza-1966", attr(span, GenAi.RESPONSE_MODEL));
    assertEquals(List.of("stop"), attr(span, GenAi.RESPONSE_FINISH_REASONS));
    assertEquals((long) r.usage().orElseThrow().promptTokens(), attr(span, GenAi.USAGE_INPUT_TOKENS));
    assertEquals((long) r.usage().orElseThrow().completionTokens(), attr(span, GenAi.USAGE_OUTPUT_TOKENS));
    assertEquals("witty", attr(span, GenAi.PERSONA));
    assertEquals(false, attr(span, GenAi.STREAMING));
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    assertTrue(span.getEvents().stream().anyMatch(e -> e.getName().equals("banter.first_token")));
    assertFalse(span.getAttributes().asMap().values().stream().anyMatch(v -> String.valueOf(v).contains("happy")),
        "the prompt is never recorded");
  }

  @Test
  void a_stream_started_inside_a_span_is_its_child_and_ends_when_the_stream_does() {
    Span parent = otel.getTracer("test").spanBuilder("handle request").startSpan();
    try (ChatModel model = eliza()) {
      ChatStream stream;
      Scope scope = parent.makeCurrent();
      try {
        stream = model.stream(ChatRequest.builder().user("My mother likes cheese.").build());
      } finally {
        scope.close();
      }
      assertTrue(spans.getFinishedSpanItems().isEmpty(), "the span is open while the stream runs");
      stream.forEach(chunk -> { });
      stream.await();
    } finally {
      parent.end();
    }
    SpanData chat = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("chat")).findFirst()
        .orElseThrow();
    assertEquals(parent.getSpanContext().getSpanId(), chat.getParentSpanId());
    assertEquals(parent.getSpanContext().getTraceId(), chat.getTraceId());
    assertEquals(true, attr(chat, GenAi.STREAMING));
    assertNull(attr(chat, GenAi.REQUEST_MODEL), "no model was asked for by name");
  }

  @Test
  void retries_and_fallbacks_are_events_and_a_failure_is_an_error_span() {
    try (ChatModel model = Banter.builder().backend("down").provider(new DownBackendProvider())
        .provider(new ElizaProvider()).fallback("eliza", Map.of()).noDefaultPersona()
        .resilience(Resilience.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(1)).noCircuitBreaker().build())
        .observer(OpenTelemetryObserver.create(otel)).build()) {
      model.chat(ChatRequest.builder().user("Hello?").build());
    }
    SpanData saved = spans.getFinishedSpanItems().get(0);
    List<String> events = saved.getEvents().stream().map(EventData::getName).toList();
    assertEquals(List.of("banter.retry", "banter.fallback", "banter.first_token"), events);
    EventData fallback = saved.getEvents().get(1);
    assertEquals("down", fallback.getAttributes().get(GenAi.FALLBACK_FROM));
    assertEquals("eliza", fallback.getAttributes().get(GenAi.FALLBACK_TO));
    assertEquals(BackendUnavailableException.class.getName(), fallback.getAttributes().get(GenAi.ERROR_TYPE));
    assertEquals("eliza", attr(saved, GenAi.PROVIDER_NAME), "the backend that answered");

    spans.reset();
    try (ChatModel alone = Banter.builder().backend("down").provider(new DownBackendProvider()).noDefaultPersona()
        .resilience(Resilience.builder().maxAttempts(1).noCircuitBreaker().build())
        .observer(OpenTelemetryObserver.create(otel)).build()) {
      assertThrows(BackendUnavailableException.class, () -> alone.chat(ChatRequest.builder().user("Hello?").build()));
    }
    SpanData failed = spans.getFinishedSpanItems().get(0);
    assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
    assertEquals(BackendUnavailableException.class.getName(), attr(failed, GenAi.ERROR_TYPE));
    assertEquals("down", attr(failed, GenAi.PROVIDER_NAME));
  }

  @Test
  void token_usage_and_duration_are_recorded_as_the_genai_client_histograms() {
    ChatResponse r;
    try (ChatModel model = eliza()) {
      r = model.chat(ChatRequest.builder().user("I dream of robots.").model("eliza-1966").build());
    }
    Collection<MetricData> all = metrics.collectAllMetrics();
    MetricData tokens = all.stream().filter(m -> m.getName().equals("gen_ai.client.token.usage")).findFirst()
        .orElseThrow();
    assertEquals("{token}", tokens.getUnit());
    long output = tokens.getHistogramData().getPoints().stream()
        .filter(p -> "output".equals(p.getAttributes().get(GenAi.TOKEN_TYPE))).mapToLong(p -> (long) p.getSum())
        .sum();
    assertEquals(r.usage().orElseThrow().completionTokens(), output);
    HistogramPointData input = tokens.getHistogramData().getPoints().stream()
        .filter(p -> "input".equals(p.getAttributes().get(GenAi.TOKEN_TYPE))).findFirst().orElseThrow();
    assertEquals("eliza", input.getAttributes().get(GenAi.PROVIDER_NAME));
    assertEquals("eliza-1966", input.getAttributes().get(GenAi.REQUEST_MODEL));
    assertEquals(GenAi.TOKEN_BUCKETS.size(), input.getBoundaries().size(), "the advised buckets");
    MetricData duration = all.stream().filter(m -> m.getName().equals("gen_ai.client.operation.duration"))
        .findFirst().orElseThrow();
    assertEquals("s", duration.getUnit());
    assertEquals(1, duration.getHistogramData().getPoints().iterator().next().getCount());
  }

  @Test
  void provider_names_follow_the_conventions_well_known_values() {
    assertEquals("x_ai", GenAi.providerName("xai"));
    assertEquals("openai", GenAi.providerName("openai"));
    assertEquals("local", GenAi.providerName("local"));
  }
}
