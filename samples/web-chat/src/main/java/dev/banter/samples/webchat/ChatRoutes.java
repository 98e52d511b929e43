package dev.banter.samples.webchat;

import dev.banter.api.BanterException;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatStream;
import dev.banter.api.ConversationSettings;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.Persona;
import dev.banter.api.Role;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The page and its JSON and SSE API. Every browser gets a session cookie; the session holds a
 * {@link ChatSession} with its own {@link dev.banter.api.Conversation}.
 *
 * <pre>
 * GET  /api/state         personas, the current persona, the history, the answer being written
 * POST /api/chat          {"message": "..."}: starts an answer, 202 {"id": "..."}; 409 while one is written
 * GET  /api/stream/{id}   text/event-stream: start, delta*, then done or failure
 * POST /api/stop/{id}     stops that answer (it ends with finish "cancelled")
 * POST /api/persona       {"persona": "witty"}: the persona of the next answers
 * POST /api/reset         forgets the history
 * </pre>
 *
 * POST bodies must be JSON ({@code Content-Type: application/json}): a form on another site
 * cannot send that without the browser asking this server first, which it never allows.
 */
final class ChatRoutes {
  static final int MAX_MESSAGE_CHARS = 4000;
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final long SESSION_TIMEOUT_MS = Duration.ofMinutes(30).toMillis();
  /** A started answer whose page never opened its stream is dropped after this long. */
  private static final long UNCLAIMED_TURN_MS = Duration.ofSeconds(30).toMillis();
  private static final String SESSION_KEY = "banter.chat";

  private final Vertx vertx;
  private final ChatModel model;
  private final String modelLabel;
  private final Optional<String> persona;
  private final GenerationOptions options;
  private final Duration pace;
  private final ExecutorService turns;
  private final Assets assets = Assets.load();

  ChatRoutes(Vertx vertx, ChatModel model, String modelLabel, Optional<String> persona, GenerationOptions options,
      Duration pace, ExecutorService turns) {
    this.vertx = vertx;
    this.model = model;
    this.modelLabel = modelLabel;
    this.persona = persona;
    this.options = options;
    this.pace = pace;
    this.turns = turns;
  }

  Router router() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response()
          .putHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self';"
              + " connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none';"
              + " frame-ancestors 'none'")
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer");
      ctx.next();
    });
    router.get("/").handler(ctx -> assets.serve(ctx, "index.html"));
    router.get("/:file").handler(ctx -> assets.serve(ctx, ctx.pathParam("file")));

    router.route("/api/*").handler(SessionHandler.create(LocalSessionStore.create(vertx))
        .setSessionCookieName("banter-chat")
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.STRICT)
        .setSessionTimeout(SESSION_TIMEOUT_MS));
    router.post("/api/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES)).handler(this::requireJson);
    router.get("/api/state").handler(this::state);
    router.post("/api/chat").handler(this::chat);
    router.get("/api/stream/:id").handler(this::stream);
    router.post("/api/stop/:id").handler(this::stop);
    router.post("/api/persona").handler(this::switchPersona);
    router.post("/api/reset").handler(this::reset);
    router.route("/api/*").failureHandler(this::failure);
    return router;
  }

  private void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      error(ctx, 415, "Send JSON with Content-Type: application/json.");
      return;
    }
    ctx.next();
  }

  private ChatSession session(RoutingContext ctx) {
    Session s = ctx.session();
    synchronized (this) {
      ChatSession chat = s.get(SESSION_KEY);
      if (chat == null) {
        ConversationSettings.Builder settings = ConversationSettings.builder().options(options);
        persona.ifPresent(settings::persona);
        chat = new ChatSession(model.conversation(settings.build()));
        s.put(SESSION_KEY, chat);
      }
      return chat;
    }
  }

  private void state(RoutingContext ctx) {
    ChatSession chat = session(ctx);
    JsonArray personas = new JsonArray();
    for (Persona p : model.personas()) {
      personas.add(new JsonObject().put("id", p.id()).put("name", p.displayName()).put("description", p.description()));
    }
    JsonArray history = new JsonArray();
    for (Message m : chat.conversation.history()) {
      if (m.role() == Role.USER || m.role() == Role.ASSISTANT) {
        history.add(new JsonObject().put("role", m.role().wireName()).put("text", m.content()));
      }
    }
    Turn running = chat.current();
    json(ctx, 200, new JsonObject()
        .put("model", modelLabel)
        .put("personas", personas)
        .put("persona", chat.conversation.persona().map(Persona::id).orElse(null))
        .put("history", history)
        .put("running", running == null ? null : running.id)
        .put("maxMessageChars", MAX_MESSAGE_CHARS));
  }

  private void chat(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    Object raw = body.getValue("message");
    if (!(raw instanceof String message) || message.trim().isEmpty()) {
      error(ctx, 400, "Send {\"message\": \"...\"} with some text in it.");
      return;
    }
    if (message.length() > MAX_MESSAGE_CHARS) {
      error(ctx, 413, "The message has " + message.length() + " characters; at most " + MAX_MESSAGE_CHARS
          + " are accepted.");
      return;
    }
    ChatSession chat = session(ctx);
    Turn turn = chat.begin(message);
    if (turn == null) {
      error(ctx, 409, "An answer is still being written; wait for it or stop it first.");
      return;
    }
    vertx.setTimer(UNCLAIMED_TURN_MS, t -> {
      if (!turn.isAttached()) {
        chat.end(turn);
      }
    });
    json(ctx, 202, new JsonObject().put("id", turn.id));
  }

  private void stream(RoutingContext ctx) {
    ChatSession chat = session(ctx);
    Turn turn = chat.find(ctx.pathParam("id"));
    if (turn == null || !turn.attach()) {
      error(ctx, 404, "No answer with that id is waiting to be streamed in this session.");
      return;
    }
    HttpServerResponse response = ctx.response();
    Context context = vertx.getOrCreateContext();
    SseListener.open(response, turn.id);
    response.closeHandler(v -> turn.stop());
    if (turn.isStopRequested()) {
      chat.end(turn);
      SseListener.endWith(response, "done", new JsonObject().put("finish", "cancelled").put("completionTokens", 0));
      return;
    }
    turns.execute(() -> {
      ChatStream stream;
      try {
        // Waits here while the previous answer of this conversation is still being committed.
        stream = chat.conversation.stream(turn.message);
      } catch (RuntimeException | Error e) {
        // Whatever went wrong, the page must not wait for an answer that never starts.
        String message = e instanceof BanterException ? e.getMessage() : "The answer could not start: " + e;
        context.runOnContext(v -> {
          chat.end(turn);
          SseListener.endWith(response, "failure", new JsonObject().put("message", message));
        });
        if (e instanceof Error error) {
          throw error;
        }
        return;
      }
      turn.started(stream);
      stream.subscribe(new SseListener(vertx, context, response, pace, turn::isStopRequested, () -> chat.end(turn)));
    });
  }

  private void stop(RoutingContext ctx) {
    Turn turn = session(ctx).find(ctx.pathParam("id"));
    if (turn == null) {
      error(ctx, 404, "No answer with that id is being written in this session.");
      return;
    }
    turn.stop();
    ctx.response().setStatusCode(204).end();
  }

  private void switchPersona(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    Object id = body.getValue("persona");
    if (!(id instanceof String personaId)) {
      error(ctx, 400, "Send {\"persona\": \"id\"} with one of the ids from /api/state.");
      return;
    }
    ChatSession chat = session(ctx);
    try {
      chat.conversation.switchPersona(personaId);
    } catch (BanterException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    json(ctx, 200, new JsonObject().put("persona", chat.conversation.persona().map(Persona::id).orElse(null)));
  }

  private void reset(RoutingContext ctx) {
    ChatSession chat = session(ctx);
    if (chat.current() != null) {
      error(ctx, 409, "An answer is still being written; stop it before starting over.");
      return;
    }
    Context context = vertx.getOrCreateContext();
    turns.execute(() -> {
      chat.conversation.reset();
      context.runOnContext(v -> ctx.response().setStatusCode(204).end());
    });
  }

  private JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        error(ctx, 400, "The request body is empty; send a JSON object.");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "The request body is not a JSON object.");
      return null;
    }
  }

  private void failure(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    String message = status == 413 ? "The request is larger than " + MAX_BODY_BYTES + " bytes."
        : status == 500 ? "The server failed: " + ctx.failure() : "The request failed with status " + status + ".";
    if (!ctx.response().headWritten()) {
      error(ctx, status, message);
    }
  }

  private static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
