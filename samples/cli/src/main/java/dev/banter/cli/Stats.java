package dev.banter.cli;

import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import java.util.Locale;

/** The one-line summary printed after an answer: tokens, speed, time to first token, why it ended. */
final class Stats {
  private Stats() {}

  static String line(ChatResponse r) {
    StringBuilder sb = new StringBuilder("[");
    int tokens = r.usage().completionTokens();
    if (tokens > 0) {
      sb.append(tokens).append(tokens == 1 ? " token" : " tokens");
    }
    double rate = r.timings().tokensPerSecond();
    if (rate > 0) {
      sep(sb).append(String.format(Locale.ROOT, "%.1f tokens/s", rate));
    }
    long ttft = r.timings().timeToFirstToken().toMillis();
    if (ttft > 0 || !r.timings().total().isZero()) {
      sep(sb).append("first token ").append(ttft).append(" ms");
    }
    sep(sb).append("finish: ").append(r.finishReason().name().toLowerCase(Locale.ROOT));
    if (r.finishReason() == FinishReason.LENGTH) {
      sb.append(" (token limit)");
    }
    return sb.append(']').toString();
  }

  private static StringBuilder sep(StringBuilder sb) {
    return sb.length() > 1 ? sb.append(", ") : sb;
  }
}
