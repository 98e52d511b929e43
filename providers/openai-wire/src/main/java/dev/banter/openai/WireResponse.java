package dev.banter.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A {@code chat.completion} (non-streamed answer) or a {@code chat.completion.chunk} (one
 * streamed event); the two share their shape except that a choice holds a {@code message} or a
 * {@code delta}. Also carries an in-band {@code error} and llama.cpp's {@code timings}.
 */
final class WireResponse {
  String id;
  String object;
  Long created;
  String model;
  String systemFingerprint;
  List<Choice> choices;
  @JsonInclude(JsonInclude.Include.NON_NULL)
  WireUsage usage;
  WireTimings timings;
  JsonNode error;

  static final class Choice {
    Integer index;
    WireMessage message;
    WireMessage delta;
    JsonNode logprobs;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    String finishReason;

    int indexOrZero() {
      return index == null ? 0 : index;
    }
  }
}
