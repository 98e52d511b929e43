package dev.banter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.TokenLogprob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A choice's {@code logprobs} object, {@code {"content": [{"token", "logprob", "bytes",
 * "top_logprobs": [...]}]}}, both ways. Reading is lenient, as servers differ: a missing
 * {@code bytes} is taken from the token's text, a missing or null logprob makes the entry
 * unreadable and it is skipped.
 */
final class WireLogprobs {
  private WireLogprobs() {}

  /** The entries of {@code logprobs.content}; empty when absent or null. */
  static List<TokenLogprob> read(JsonNode logprobs) {
    JsonNode content = logprobs == null ? null : logprobs.get("content");
    if (content == null || !content.isArray()) {
      return List.of();
    }
    List<TokenLogprob> out = new ArrayList<>(content.size());
    for (JsonNode e : content) {
      JsonNode lp = e.get("logprob");
      if (lp == null || !lp.isNumber()) {
        continue;
      }
      String token = e.path("token").asText("");
      List<TokenLogprob.Alternative> top = new ArrayList<>();
      for (JsonNode a : e.path("top_logprobs")) {
        JsonNode alp = a.get("logprob");
        if (alp != null && alp.isNumber()) {
          String t = a.path("token").asText("");
          top.add(new TokenLogprob.Alternative(t, clamp(alp.doubleValue()), bytes(a.get("bytes"), t)));
        }
      }
      out.add(new TokenLogprob(token, clamp(lp.doubleValue()), bytes(e.get("bytes"), token), top));
    }
    return out;
  }

  /** {@code {"content": [...]}} for {@code entries}. */
  static ObjectNode write(List<TokenLogprob> entries) {
    ObjectNode root = Json.object();
    root.set("content", entries(entries));
    root.putNull("refusal");
    return root;
  }

  /**
   * The entries alone, {@code [{"token", "logprob", "bytes", "top_logprobs"}]}: a chat choice's
   * {@code logprobs.content}, and the {@code logprobs} of a Responses API output text.
   */
  static ArrayNode entries(List<TokenLogprob> entries) {
    ArrayNode content = Json.NODES.arrayNode();
    for (TokenLogprob t : entries) {
      ObjectNode e = content.addObject();
      entry(e, t.token(), t.logprob(), t.bytes());
      ArrayNode top = e.putArray("top_logprobs");
      for (TokenLogprob.Alternative a : t.topLogprobs()) {
        entry(top.addObject(), a.token(), a.logprob(), a.bytes());
      }
    }
    return content;
  }

  private static void entry(ObjectNode e, String token, double logprob, List<Integer> bytes) {
    e.put("token", token);
    // JSON has no infinity; OpenAI reports an impossible token with its floor of -9999.
    e.put("logprob", Double.isInfinite(logprob) ? -9999.0 : logprob);
    ArrayNode b = e.putArray("bytes");
    bytes.forEach(b::add);
  }

  private static double clamp(double logprob) {
    return Double.isNaN(logprob) ? Double.NEGATIVE_INFINITY : Math.min(0.0, logprob);
  }

  private static List<Integer> bytes(JsonNode node, String token) {
    List<Integer> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      for (JsonNode b : node) {
        int v = b.asInt(-1);
        if (v < 0 || v > 255) {
          return fromText(token);
        }
        out.add(v);
      }
      return out;
    }
    return fromText(token);
  }

  private static List<Integer> fromText(String token) {
    List<Integer> out = new ArrayList<>();
    for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
      out.add(b & 0xFF);
    }
    return out;
  }
}
