package dev.banter.samples.webchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.GenerationOptions;
import dev.banter.core.Banter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web chat's HTTP surface, driven as a browser would but without one, on the ELIZA plugin. */
class WebChatApiTest {
  private static ChatModel model;
  private static WebChat chat;

  @BeforeAll
  static void start() {
    // No word delay: the stop tests hold the answer back instead of racing a clock.
    model = Banter.builder().backend("eliza").build();
    chat = WebChat.builder(model).port(0).start();
  }

  @AfterAll
  static void stop() {
    chat.close();
    model.close();
  }

  private static ApiClient browser() {
    return new ApiClient(chat.url());
  }

  @Test
  void page_is_served_with_a_content_security_policy_and_nothing_else_is() {
    ApiClient b = browser();
    HttpResponse<String> page = b.get("");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script src=\"app.js\" defer></script>"), page.body());
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertEquals("text/javascript; charset=utf-8", b.get("app.js").headers().firstValue("Content-Type").orElse(""));
    assertEquals(404, b.get("pom.xml").statusCode());
    assertEquals(404, b.get("WebChat.class").statusCode());
  }

  @Test
  void page_script_never_parses_text_as_html() throws IOException {
    String js;
    try (InputStream in = WebChat.class.getResourceAsStream("webroot/app.js")) {
      js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")) {
      assertFalse(js.contains(sink), "app.js uses " + sink);
    }
    assertTrue(js.contains("textContent"));
  }

  @Test
  void state_lists_the_personas_and_starts_with_an_empty_history() {
    JsonObject state = browser().state();
    JsonArray personas = state.getJsonArray("personas");
    assertTrue(personas.stream().anyMatch(p -> ((JsonObject) p).getString("id").equals("witty")), personas.encode());
    assertTrue(personas.stream().anyMatch(p -> ((JsonObject) p).getString("id").equals("regular")), personas.encode());
    assertEquals("regular", state.getString("persona"));
    assertEquals("eliza-1966", state.getString("model"));
    assertTrue(state.getJsonArray("history").isEmpty());
    assertEquals(null, state.getString("running"));
  }

  @Test
  void an_answer_streams_as_server_sent_events_and_joins_the_history() {
    ApiClient b = browser();
    String id = b.chat("I need a holiday.");
    List<SseReader.Event> events;
    try (SseReader sse = b.stream(id)) {
      assertEquals(200, sse.status);
      assertTrue(sse.contentType.startsWith("text/event-stream"), sse.contentType);
      events = sse.all();
    }
    assertEquals("start", events.get(0).type);
    assertEquals(id, events.get(0).data.getString("id"));
    SseReader.Event last = events.get(events.size() - 1);
    assertEquals("done", last.type, events.toString());
    assertEquals("stop", last.data.getString("finish"));
    long deltas = events.stream().filter(e -> e.type.equals("delta")).count();
    assertTrue(deltas >= 3, "the answer came in " + deltas + " pieces: " + events);
    String answer = SseReader.text(events);
    assertTrue(answer.contains("a holiday"), answer);

    JsonArray history = b.state().getJsonArray("history");
    assertEquals(2, history.size(), history.encode());
    assertEquals(new JsonObject().put("role", "user").put("text", "I need a holiday."), history.getJsonObject(0));
    assertEquals(new JsonObject().put("role", "assistant").put("text", answer), history.getJsonObject(1));
  }

  @Test
  void stop_cancels_the_answer_and_its_stream_ends_cancelled() {
    // ELIZA behind a hold: the first word reaches the page and the rest waits until the answer is
    // stopped, so the stop comes while the answer is being written however slow the machine is.
    HoldingProvider holding = HoldingProvider.around("eliza");
    try (ChatModel eliza = Banter.builder().provider(holding).backend(HoldingProvider.ID).build();
         WebChat held = WebChat.builder(eliza).port(0).start()) {
      ApiClient b = new ApiClient(held.url());
      HoldingProvider.Hold hold = holding.holdAfter(1);
      String id = b.chat("Hello there");
      try (SseReader sse = b.stream(id)) {
        assertEquals("start", sse.next().type);
        SseReader.Event first = sse.next();
        assertEquals("delta", first.type);
        assertEquals(204, b.postJson("api/stop/" + id, new JsonObject()).statusCode());
        List<SseReader.Event> rest = sse.all();
        SseReader.Event last = rest.get(rest.size() - 1);
        assertEquals("done", last.type, rest.toString());
        assertEquals("cancelled", last.data.getString("finish"));
        assertTrue(hold.cancelled.isDone(), "the stop reached the model");
        // Both greetings ELIZA knows have six words or more; none came after the stop.
        assertEquals(List.of(), rest.stream().filter(e -> e.type.equals("delta")).toList(), "words after the stop");
      }
      assertEquals(404, b.postJson("api/stop/" + id, new JsonObject()).statusCode(), "the turn is over");
      assertEquals(202, b.postJson("api/chat", new JsonObject().put("message", "Hi again")).statusCode(),
          "a stopped answer frees the conversation for the next message");
    }
  }

  @Test
  void a_paced_page_stopped_behind_a_finished_model_is_told_cancelled() {
    HoldingProvider watching = HoldingProvider.around("eliza");
    // One piece now, the next not before an hour: the page is surely behind when it stops.
    try (ChatModel fast = Banter.builder().provider(watching).backend(HoldingProvider.ID).build();
         WebChat paced = WebChat.builder(fast).port(0).pace(Duration.ofHours(1)).start()) {
      ApiClient b = new ApiClient(paced.url());
      HoldingProvider.Hold answer = watching.watchNext();
      String id = b.chat("I am waiting for the rest of this rather long sentence");
      try (SseReader sse = b.stream(id)) {
        assertEquals("start", sse.next().type);
        SseReader.Event first = sse.next();
        assertEquals("delta", first.type);
        // ELIZA has written its whole answer; the page has one word of it.
        String whole = answer.awaitFinished(Duration.ofSeconds(30));
        String shown = first.data.getString("text");
        assertTrue(whole.startsWith(shown) && whole.length() > shown.length(), shown + " / " + whole);
        assertEquals(204, b.postJson("api/stop/" + id, new JsonObject()).statusCode());
        List<SseReader.Event> rest = sse.all();
        SseReader.Event last = rest.get(rest.size() - 1);
        assertEquals("done", last.type, rest.toString());
        assertEquals("cancelled", last.data.getString("finish"), "the page showed the answer cut short");
        assertEquals(List.of(), rest.stream().filter(e -> e.type.equals("delta")).toList(), "pieces after the stop");
      }
    }
  }

  @Test
  void every_conversation_carries_the_web_chats_sampling_options() {
    try (ChatModel eliza = Banter.builder().backend("eliza").build();
         WebChat limited = WebChat.builder(eliza).port(0)
             .options(GenerationOptions.builder().maxTokens(3).build()).start()) {
      ApiClient b = new ApiClient(limited.url());
      try (SseReader sse = b.stream(b.chat("I need a very long holiday somewhere warm"))) {
        List<SseReader.Event> events = sse.all();
        assertEquals("length", events.get(events.size() - 1).data.getString("finish"), events.toString());
        assertEquals(3, SseReader.text(events).split(" ").length, events.toString());
      }
    }
  }

  @Test
  void an_answer_that_cannot_start_ends_its_stream_with_a_failure() {
    ChatModel closing = Banter.builder().backend("eliza").build();
    try (WebChat chat = WebChat.builder(closing).port(0).start()) {
      ApiClient b = new ApiClient(chat.url());
      String id = b.chat("Hello");
      closing.close();
      try (SseReader sse = b.stream(id)) {
        List<SseReader.Event> events = sse.all();
        SseReader.Event last = events.get(events.size() - 1);
        assertEquals("failure", last.type, events.toString());
        assertTrue(last.data.getString("message").contains("closed"), last.data.encode());
      }
      assertEquals(null, b.state().getString("running"), "the session is free again");
    }
  }

  @Test
  void a_second_message_while_an_answer_is_being_written_is_refused() {
    ApiClient b = browser();
    String id = b.chat("I am curious");
    HttpResponse<String> second = b.postJson("api/chat", new JsonObject().put("message", "and impatient"));
    assertEquals(409, second.statusCode());
    assertTrue(new JsonObject(second.body()).getString("error").contains("still being written"), second.body());
    assertEquals(id, b.state().getString("running"));
    try (SseReader sse = b.stream(id)) {
      sse.all();
    }
  }

  @Test
  void sessions_do_not_share_conversations_or_answers() {
    ApiClient alice = browser();
    ApiClient bob = browser();
    String id = alice.chat("My secret is safe");
    assertEquals(404, bob.stream(id).status, "bob cannot read alice's answer");
    assertEquals(404, bob.postJson("api/stop/" + id, new JsonObject()).statusCode(), "nor stop it");
    try (SseReader sse = alice.stream(id)) {
      assertEquals("done", sse.all().stream().reduce((a, b) -> b).get().type);
    }
    assertEquals(2, alice.state().getJsonArray("history").size());
    assertTrue(bob.state().getJsonArray("history").isEmpty());
    assertEquals(404, alice.stream(id).status, "an answer streams once");
  }

  @Test
  void switching_persona_changes_the_voice_of_the_next_answer() {
    ApiClient b = browser();
    String plain = answer(b, "I feel tired");
    assertFalse(plain.contains("("), "the regular persona does not joke: " + plain);

    HttpResponse<String> r = b.postJson("api/persona", new JsonObject().put("persona", "witty"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("witty", new JsonObject(r.body()).getString("persona"));
    assertEquals("witty", b.state().getString("persona"));
    String witty = answer(b, "I feel tired");
    assertTrue(witty.endsWith(")"), "ELIZA adds a quip in brackets for a funny persona: " + witty);
    assertEquals(4, b.state().getJsonArray("history").size(), "the history stays");
  }

  @Test
  void an_unknown_persona_is_refused_with_the_known_ones() {
    HttpResponse<String> r = browser().postJson("api/persona", new JsonObject().put("persona", "pirate"));
    assertEquals(400, r.statusCode());
    String error = new JsonObject(r.body()).getString("error");
    assertTrue(error.contains("pirate") && error.contains("witty"), error);
  }

  @Test
  void reset_forgets_the_history() {
    ApiClient b = browser();
    answer(b, "Hello");
    assertEquals(2, b.state().getJsonArray("history").size());
    assertEquals(204, b.postJson("api/reset", new JsonObject()).statusCode());
    assertTrue(b.state().getJsonArray("history").isEmpty());
  }

  @Test
  void posts_that_are_not_json_are_refused() {
    ApiClient b = browser();
    HttpResponse<String> form = b.post("api/chat", "application/x-www-form-urlencoded", "message=hi");
    assertEquals(415, form.statusCode());
    HttpResponse<String> broken = b.post("api/chat", "application/json", "{\"message\": ");
    assertEquals(400, broken.statusCode());
    assertEquals(400, b.postJson("api/chat", new JsonObject().put("message", "   ")).statusCode());
    assertEquals(400, b.postJson("api/chat", new JsonObject().put("message", 42)).statusCode());
    assertTrue(b.state().getJsonArray("history").isEmpty());
  }

  @Test
  void an_oversized_message_is_refused_with_the_limit() {
    ApiClient b = browser();
    HttpResponse<String> r = b.postJson("api/chat",
        new JsonObject().put("message", "a".repeat(ChatRoutes.MAX_MESSAGE_CHARS + 1)));
    assertEquals(413, r.statusCode());
    assertTrue(r.body().contains(String.valueOf(ChatRoutes.MAX_MESSAGE_CHARS)), r.body());
    HttpResponse<String> huge = b.postJson("api/chat", new JsonObject().put("message", "a".repeat(200_000)));
    assertEquals(413, huge.statusCode());
    assertNotNull(new JsonObject(huge.body()).getString("error"));
  }

  private static String answer(ApiClient b, String message) {
    try (SseReader sse = b.stream(b.chat(message))) {
      List<SseReader.Event> events = sse.all();
      assertEquals("done", events.get(events.size() - 1).type, events.toString());
      return SseReader.text(events);
    }
  }
}
