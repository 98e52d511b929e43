package dev.banter.site.snippets;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.core.Banter;
import dev.banter.micrometer.MicrometerObserver;
import dev.banter.opentelemetry.OpenTelemetryObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/** The code of the metrics and tracing page; runs on the demo model in SnippetsRunTest. */
final class ObservabilitySnippets {
  private ObservabilitySnippets() {}

  static ChatModel micrometer(MeterRegistry registry, String modelFile) {
    // tag::micrometer[]
    ChatModel model = Banter.builder()
        .backend("local").set("model", modelFile)
        .observer(MicrometerObserver.builder(registry).tags("app", "support-bot").build())
        .build();
    // end::micrometer[]
    return model;
  }

  static ChatModel openTelemetry(OpenTelemetry otel, String modelFile) {
    // tag::opentelemetry[]
    ChatModel model = Banter.builder()
        .backend("local").set("model", modelFile)
        .observer(OpenTelemetryObserver.create(otel))   // e.g. GlobalOpenTelemetry.get()
        .build();
    // end::opentelemetry[]
    return model;
  }

  static String answerInsideASpan(OpenTelemetry otel, ChatModel model) {
    // tag::parent[]
    Tracer tracer = otel.getTracer("support-bot");
    Span handling = tracer.spanBuilder("handle ticket").startSpan();
    try (Scope ignored = handling.makeCurrent()) {
      return model.chat(ChatRequest.of("Summarise the ticket.")).text();   // its span is a child of "handle ticket"
    } finally {
      handling.end();
    }
    // end::parent[]
  }
}
