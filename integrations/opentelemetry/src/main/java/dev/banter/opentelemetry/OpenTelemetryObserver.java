package dev.banter.opentelemetry;

import dev.banter.api.BanterException;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.GenerationOptions;
import dev.banter.api.ResponseFormat;
import dev.banter.core.ChatObserver;
import dev.banter.core.RequestInfo;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ChatObserver} that gives every call of a Banter {@code ChatModel} an OpenTelemetry
 * span and records the GenAI client metrics, following the semantic conventions for generative
 * AI (development status; attribute names as of semantic conventions 1.37).
 *
 * <p>The span, {@code chat {model}} of kind {@code CLIENT}, is a child of the span current when
 * the call starts. It carries {@code gen_ai.operation.name}, {@code gen_ai.request.*} (model,
 * max_tokens, temperature, top_p, top_k, seed, stop_sequences, penalties), {@code gen_ai.output.type},
 * and when the call ends {@code gen_ai.provider.name} (the backend that answered: {@code openai},
 * {@code x_ai}, else Banter's backend id such as {@code local}), {@code gen_ai.response.model},
 * {@code gen_ai.response.finish_reasons} and {@code gen_ai.usage.input_tokens}/{@code output_tokens};
 * a failure sets status {@code ERROR} and {@code error.type} (the exception's class name). Banter
 * adds {@code banter.persona.id}, {@code banter.streaming}, and events for the first token
 * ({@code banter.first_token}), each retry ({@code banter.retry}) and each fallback
 * ({@code banter.fallback}). Prompts and answers are never recorded.
 *
 * <p>Metrics: {@code gen_ai.client.token.usage} (histogram of tokens, by {@code gen_ai.token.type})
 * and {@code gen_ai.client.operation.duration} (seconds), with the advised bucket bounds.
 * Thread-safe; one observer may serve several chat models.
 *
 * <pre>{@code
 * OpenTelemetry otel = GlobalOpenTelemetry.get();   // or your SDK instance
 * ChatModel model = Banter.builder().backend("xai").secret("api-key", System.getenv("XAI_API_KEY"))
 *     .observer(OpenTelemetryObserver.create(otel))
 *     .build();
 * }</pre>
 */
public final class OpenTelemetryObserver implements ChatObserver {
  static final String SCOPE = "dev.banter.opentelemetry";
  private static final String OPERATION = "chat";

  private final Tracer tracer;
  private final LongHistogram tokenUsage;
  private final DoubleHistogram duration;
  /** The calls under way, by their {@link RequestInfo} (one per call, compared by identity). */
  private final Map<RequestInfo, Call> calls = Collections.synchronizedMap(new IdentityHashMap<>());

  /** One call's span and the moment it began. */
  private record Call(Span span, long startNanos) {}

  private OpenTelemetryObserver(OpenTelemetry otel) {
    this.tracer = otel.getTracer(SCOPE);
    Meter meter = otel.getMeter(SCOPE);
    this.tokenUsage = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
        .setDescription("Number of input and output tokens used.").setExplicitBucketBoundariesAdvice(GenAi.TOKEN_BUCKETS)
        .build();
    this.duration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
        .setDescription("GenAI operation duration.").setExplicitBucketBoundariesAdvice(GenAi.DURATION_BUCKETS).build();
  }

  /** An observer reporting to {@code otel}'s tracer and meter providers. */
  public static OpenTelemetryObserver create(OpenTelemetry otel) {
    return new OpenTelemetryObserver(Objects.requireNonNull(otel, "otel"));
  }

  @Override
  public void onRequest(RequestInfo info) {
    ChatRequest request = info.request();
    SpanBuilder b = tracer.spanBuilder(request.model().map(m -> OPERATION + " " + m).orElse(OPERATION))
        .setSpanKind(SpanKind.CLIENT).setParent(Context.current())
        .setAttribute(GenAi.OPERATION_NAME, OPERATION)
        .setAttribute(GenAi.OUTPUT_TYPE, request.responseFormat().type() == ResponseFormat.Type.TEXT ? "text" : "json")
        .setAttribute(GenAi.STREAMING, info.streaming());
    request.model().ifPresent(m -> b.setAttribute(GenAi.REQUEST_MODEL, m));
    info.personaId().ifPresent(p -> b.setAttribute(GenAi.PERSONA, p));
    GenerationOptions o = request.options();
    o.maxTokens().ifPresent(v -> b.setAttribute(GenAi.REQUEST_MAX_TOKENS, (long) v));
    o.temperature().ifPresent(v -> b.setAttribute(GenAi.REQUEST_TEMPERATURE, v));
    o.topP().ifPresent(v -> b.setAttribute(GenAi.REQUEST_TOP_P, v));
    o.topK().ifPresent(v -> b.setAttribute(GenAi.REQUEST_TOP_K, (double) v));
    o.seed().ifPresent(v -> b.setAttribute(GenAi.REQUEST_SEED, v));
    o.frequencyPenalty().ifPresent(v -> b.setAttribute(GenAi.REQUEST_FREQUENCY_PENALTY, v));
    o.presencePenalty().ifPresent(v -> b.setAttribute(GenAi.REQUEST_PRESENCE_PENALTY, v));
    if (o.hasStop()) {
      b.setAttribute(GenAi.REQUEST_STOP_SEQUENCES, o.stop());
    }
    calls.put(info, new Call(b.startSpan(), System.nanoTime()));
  }

  @Override
  public void onRetry(RequestInfo info, String backendId, int attempt, Duration delay, BanterException cause) {
    Call call = calls.get(info);
    if (call != null) {
      call.span().addEvent("banter.retry", Attributes.of(GenAi.BACKEND, backendId, GenAi.RETRY_ATTEMPT, (long) attempt,
          GenAi.RETRY_DELAY, delay.toNanos() / 1e9, GenAi.ERROR_TYPE, cause.getClass().getName()));
    }
  }

  @Override
  public void onFallback(RequestInfo info, String fromBackend, String toBackend, BanterException cause) {
    Call call = calls.get(info);
    if (call != null) {
      call.span().addEvent("banter.fallback", Attributes.of(GenAi.FALLBACK_FROM, fromBackend, GenAi.FALLBACK_TO,
          toBackend, GenAi.ERROR_TYPE, cause.getClass().getName()));
    }
  }

  @Override
  public void onFirstToken(RequestInfo info, String backendId, Duration timeToFirstToken) {
    Call call = calls.get(info);
    if (call != null) {
      call.span().addEvent("banter.first_token", Attributes.of(GenAi.BACKEND, backendId, GenAi.TIME_TO_FIRST_TOKEN,
          timeToFirstToken.toNanos() / 1e9));
    }
  }

  @Override
  public void onComplete(RequestInfo info, ChatResponse response) {
    Call call = calls.remove(info);
    if (call == null) {
      return;
    }
    Span span = call.span();
    String reason = response.finishReason().name().toLowerCase(Locale.ROOT);
    span.setAttribute(GenAi.RESPONSE_FINISH_REASONS, List.of(reason));
    response.backendId().ifPresent(id -> span.setAttribute(GenAi.PROVIDER_NAME, GenAi.providerName(id)));
    response.model().ifPresent(m -> span.setAttribute(GenAi.RESPONSE_MODEL, m));
    AttributesBuilder common = metricAttributes(info, response.backendId().orElse(null));
    response.model().ifPresent(m -> common.put(GenAi.RESPONSE_MODEL, m));
    response.usage().ifPresent(u -> {
      span.setAttribute(GenAi.USAGE_INPUT_TOKENS, (long) u.promptTokens());
      span.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, (long) u.completionTokens());
      tokenUsage.record(u.promptTokens(), common.build().toBuilder().put(GenAi.TOKEN_TYPE, "input").build());
      tokenUsage.record(u.completionTokens(), common.build().toBuilder().put(GenAi.TOKEN_TYPE, "output").build());
    });
    duration.record((System.nanoTime() - call.startNanos()) / 1e9, common.build());
    span.end();
  }

  @Override
  public void onError(RequestInfo info, BanterException error) {
    Call call = calls.remove(info);
    if (call == null) {
      return;
    }
    Span span = call.span();
    String type = error.getClass().getName();
    span.setStatus(StatusCode.ERROR, error.getMessage());
    span.setAttribute(GenAi.ERROR_TYPE, type);
    error.backendId().ifPresent(id -> span.setAttribute(GenAi.PROVIDER_NAME, GenAi.providerName(id)));
    duration.record((System.nanoTime() - call.startNanos()) / 1e9,
        metricAttributes(info, error.backendId().orElse(null)).put(GenAi.ERROR_TYPE, type).build());
    span.end();
  }

  private static AttributesBuilder metricAttributes(RequestInfo info, String backendId) {
    AttributesBuilder a = Attributes.builder().put(GenAi.OPERATION_NAME, OPERATION);
    if (backendId != null) {
      a.put(GenAi.PROVIDER_NAME, GenAi.providerName(backendId));
    }
    info.request().model().ifPresent(m -> a.put(GenAi.REQUEST_MODEL, m));
    return a;
  }

  @Override
  public String toString() {
    return "OpenTelemetryObserver{calls under way=" + calls.size() + '}';
  }
}
