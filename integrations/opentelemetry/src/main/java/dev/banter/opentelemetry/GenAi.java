package dev.banter.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The attribute keys of the OpenTelemetry semantic conventions for generative AI (development
 * status, as of semantic conventions 1.37) that Banter sets, plus Banter's own under
 * {@code banter.}. Declared here rather than taken from the incubating semconv artifact, whose
 * alpha releases rename freely.
 */
final class GenAi {
  static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<Double> REQUEST_TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
  static final AttributeKey<Double> REQUEST_TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
  static final AttributeKey<Double> REQUEST_TOP_K = AttributeKey.doubleKey("gen_ai.request.top_k");
  static final AttributeKey<Long> REQUEST_SEED = AttributeKey.longKey("gen_ai.request.seed");
  static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES =
      AttributeKey.stringArrayKey("gen_ai.request.stop_sequences");
  static final AttributeKey<Double> REQUEST_FREQUENCY_PENALTY =
      AttributeKey.doubleKey("gen_ai.request.frequency_penalty");
  static final AttributeKey<Double> REQUEST_PRESENCE_PENALTY = AttributeKey.doubleKey("gen_ai.request.presence_penalty");
  static final AttributeKey<String> OUTPUT_TYPE = AttributeKey.stringKey("gen_ai.output.type");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  static final AttributeKey<String> PERSONA = AttributeKey.stringKey("banter.persona.id");
  static final AttributeKey<Boolean> STREAMING = AttributeKey.booleanKey("banter.streaming");
  static final AttributeKey<String> BACKEND = AttributeKey.stringKey("banter.backend");
  static final AttributeKey<String> FALLBACK_FROM = AttributeKey.stringKey("banter.fallback.from");
  static final AttributeKey<String> FALLBACK_TO = AttributeKey.stringKey("banter.fallback.to");
  static final AttributeKey<Long> RETRY_ATTEMPT = AttributeKey.longKey("banter.retry.attempt");
  static final AttributeKey<Double> RETRY_DELAY = AttributeKey.doubleKey("banter.retry.delay_seconds");
  static final AttributeKey<Double> TIME_TO_FIRST_TOKEN = AttributeKey.doubleKey("banter.time_to_first_token_seconds");

  /** The bucket bounds the conventions advise for {@code gen_ai.client.token.usage}. */
  static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
      1048576L, 4194304L, 16777216L, 67108864L);
  /** The bucket bounds the conventions advise for {@code gen_ai.client.operation.duration}, in seconds. */
  static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
      10.24, 20.48, 40.96, 81.92);

  private GenAi() {}

  /**
   * The {@code gen_ai.provider.name} for a Banter backend: the conventions' well-known name where
   * there is one ({@code openai}, {@code x_ai}), else the backend's id.
   */
  static String providerName(String backendId) {
    return switch (backendId) {
      case "xai" -> "x_ai";
      default -> backendId;
    };
  }
}
