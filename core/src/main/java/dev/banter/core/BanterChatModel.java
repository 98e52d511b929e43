package dev.banter.core;

import dev.banter.api.AuthenticationException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.Conversation;
import dev.banter.api.ConversationSettings;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.api.Persona;
import dev.banter.api.Timings;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendLoad;
import dev.banter.spi.ChatStreamEmitter;
import dev.banter.spi.LoadReporting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The runtime behind {@code Banter.builder().build()}. Every call passes the same chain, in this
 * order (outermost first):
 *
 * <ol>
 *   <li>observers see the request;
 *   <li>the persona (the request's, else the default) is rendered into messages and options;
 *   <li>the fallback chain tries each backend in turn, moving on when one fails before the first
 *       token with a retryable error, an authentication error, or a refusal by its guards;
 *   <li>per backend ({@link GuardedBackend}): circuit breaker, rate limiter, bulkhead, then
 *       retries with backoff around the attempt;
 *   <li>for streams, the attempt waits for the first token within the time-to-first-token limit
 *       and then hands the stream to a {@link StreamRelay}: from there on nothing is retried.
 * </ol>
 */
final class BanterChatModel implements ChatModel, LoadReporting {
  private static final Logger LOG = Logger.getLogger(BanterChatModel.class.getName());
  private static final int DEFAULT_CONTEXT = 4096;
  /** A blocking chat cannot be cancelled. */
  private static final CountDownLatch NEVER_CANCELLED = new CountDownLatch(1);

  private final List<GuardedBackend> chain;
  private final PersonaRegistry personas;
  private final Persona defaultPersona;
  private final GenerationOptions defaultOptions;
  private final Observers observers;
  private final TimeSource time;
  private final Resilience resilience;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final AtomicLong requestIds = new AtomicLong();
  /** Context windows learned from backends' model lists, for backends that do not declare one. */
  private final Map<Backend, Integer> listedContext = new ConcurrentHashMap<>();
  /** The streams handed out and not yet ended, which {@link #close()} cancels. */
  private final Set<ChatStreamEmitter> running = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  BanterChatModel(List<GuardedBackend> chain, PersonaRegistry personas, Persona defaultPersona,
      GenerationOptions defaultOptions, Observers observers, TimeSource time, Resilience resilience) {
    this.chain = List.copyOf(chain);
    this.personas = personas;
    this.defaultPersona = defaultPersona;
    this.defaultOptions = defaultOptions;
    this.observers = observers;
    this.time = time;
    this.resilience = resilience;
    this.workers = Executors.newCachedThreadPool(daemonThreads("banter-stream"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("banter-timer"));
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * A call on its way: the request and its persona, the request as the primary backend gets it
   * (what observers are told), and when it began.
   */
  private record Call(ChatRequest request, Optional<Persona> persona, ChatRequest rendered, RequestInfo info,
      long start) {}

  /** Renders the request's persona, numbers the call and tells the observers. */
  private Call begin(ChatRequest request, boolean streaming) {
    ensureOpen();
    Optional<Persona> persona = personaFor(request);
    ChatRequest rendered = render(persona, request);
    RequestInfo info = new RequestInfo(requestIds.incrementAndGet(), rendered, persona.map(Persona::id), streaming);
    observers.onRequest(info);
    return new Call(request, persona, rendered, info, time.nanoTime());
  }

  /**
   * The request as {@code gb} gets it: the persona is rendered for that backend's context, so a
   * fallback with a small window gets the compact prompt even when the primary's is large.
   */
  private ChatRequest renderedFor(Call call, GuardedBackend gb) {
    return gb == chain.get(0) ? call.rendered() : render(call.persona(), call.request(), gb.backend());
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    Call call = begin(request, false);
    RequestInfo info = call.info();
    long start = call.start();
    try {
      ChatResponse r = throughChain(info, NEVER_CANCELLED, gb -> (backend, lease) -> {
        ChatResponse response = backend.chat(renderedFor(call, gb));
        lease.end(null);
        return stamp(response, gb, start);
      });
      observers.onFirstToken(info, r.backendId().get(),
          r.timings().map(Timings::timeToFirstToken).orElse(Duration.ZERO));
      observers.onComplete(info, r);
      return r;
    } catch (BanterException e) {
      observers.onError(info, e);
      throw e;
    }
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    return start(request).handle();
  }

  /** Starts a stream and gives its emitter, for callers inside core that chain work on {@code whenDone()}. */
  ChatStreamEmitter start(ChatRequest request) {
    Call call = begin(request, true);
    RequestInfo info = call.info();
    ChatStreamEmitter out = ChatStreamEmitter.create(chain.get(0).backend().id(), "", time::nanoTime,
        ChatStreamEmitter.DEFAULT_HIGH_WATER_MARK, ChatStreamEmitter.DEFAULT_STALL_LIMIT);
    running.add(out);
    out.whenDone().whenComplete((response, error) -> {
      running.remove(out);
      if (error == null) {
        observers.onComplete(info, response);
      } else {
        observers.onError(info, unwrap(error));
      }
    });
    try {
      workers.execute(() -> runStream(call, out));
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("this ChatModel was closed", e);
    }
    return out;
  }

  private void runStream(Call call, ChatStreamEmitter out) {
    RequestInfo info = call.info();
    CountDownLatch cancelled = new CountDownLatch(1);
    out.onCancel(cancelled::countDown);
    if (out.isCancelled()) {
      out.complete(FinishReason.CANCELLED);
      return;
    }
    try {
      throughChain(info, cancelled, gb -> (backend, lease) -> {
        StreamRelay relay = new StreamRelay(out, gb.name(), backend.id(), lease, info, observers, time, call.start(),
            resilience.idleTimeout(), timer);
        relay.open(backend.stream(renderedFor(call, gb)), resilience.firstTokenTimeout());
        return relay;
      });
    } catch (BanterException e) {
      if (out.isCancelled()) {
        out.complete(FinishReason.CANCELLED);
      } else {
        out.fail(e);
      }
    } catch (RuntimeException e) {
      out.fail(new BanterException("Unexpected failure while opening a stream: " + e, null, e));
    }
  }

  /**
   * Tries the backends of the chain in turn, each behind its guards and retries, and returns what
   * the first to succeed returned. It moves on when a backend fails before the first token with an
   * error that calls for another backend ({@link #fallsBack}), unless the call was cancelled.
   *
   * @throws BanterException the last failure, with the earlier ones suppressed in it
   */
  private <T> T throughChain(RequestInfo info, CountDownLatch cancelled,
      Function<GuardedBackend, GuardedBackend.Attempt<T>> attempt) {
    BanterException previous = null;
    for (int i = 0; i < chain.size(); i++) {
      GuardedBackend gb = chain.get(i);
      try {
        return gb.execute(attempt.apply(gb), retryListener(info, gb), cancelled);
      } catch (BanterException e) {
        if (previous != null && previous != e) {
          e.addSuppressed(previous);
        }
        previous = e;
        if (i + 1 == chain.size() || !fallsBack(e) || cancelled.getCount() == 0) {
          throw e;
        }
        GuardedBackend next = chain.get(i + 1);
        observers.onFallback(info, gb.name(), next.name(), e);
        LOG.log(Level.INFO, "Backend ''{0}'' failed before the first token ({1}); falling back to ''{2}''",
            new Object[] {gb.name(), e.getMessage(), next.name()});
      }
    }
    throw new IllegalStateException("empty backend chain");
  }

  private GuardedBackend.RetryListener retryListener(RequestInfo info, GuardedBackend gb) {
    return (attempt, delay, cause) -> {
      observers.onRetry(info, gb.name(), attempt, delay, cause);
      LOG.log(Level.FINE, "Backend ''{0}'' attempt {1} failed ({2}); retrying in {3} ms",
          new Object[] {gb.name(), attempt, cause.getMessage(), delay.toMillis()});
    };
  }

  private static boolean fallsBack(BanterException e) {
    return e.retryable() || e instanceof AuthenticationException || e instanceof CallRefusedException;
  }

  /** The response with the backend's id and, when the backend measured nothing, the call's duration. */
  private ChatResponse stamp(ChatResponse r, GuardedBackend gb, long start) {
    ChatResponse.Builder b = r.toBuilder();
    if (!r.backendId().isPresent()) {
      b.backendId(gb.backend().id());
    }
    if (!r.timings().isPresent()) {
      Duration total = Duration.ofNanos(Math.max(0, time.nanoTime() - start));
      b.timings(Timings.of(total, total));
    }
    return b.build();
  }

  private static BanterException unwrap(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return c instanceof BanterException b ? b : new BanterException(String.valueOf(c), c);
  }

  Optional<Persona> personaFor(ChatRequest request) {
    if (request.persona().isPresent()) {
      return Optional.of(personas.requireForRequest(request.persona().get()));
    }
    return Optional.ofNullable(defaultPersona);
  }

  /** The request as the primary backend gets it: the model's default options under the request's, then the persona. */
  ChatRequest render(Optional<Persona> persona, ChatRequest request) {
    return render(persona, request, chain.get(0).backend());
  }

  /** The request as {@code backend} gets it; its context window is looked up only when a persona needs it. */
  private ChatRequest render(Optional<Persona> persona, ChatRequest request, Backend backend) {
    ChatRequest withDefaults = defaultOptions.equals(GenerationOptions.defaults())
        ? request
        : request.toBuilder().options(request.options().withDefaults(defaultOptions)).build();
    return persona.isPresent()
        ? PersonaRenderer.render(persona.get(), withDefaults, contextLength(backend) < PersonaRenderer.COMPACT_BELOW)
        : PersonaRenderer.plain(withDefaults);
  }

  /** The exact prompt size from the primary backend, else an estimate. */
  int countTokens(List<Message> rendered) {
    OptionalInt exact = chain.get(0).backend().countTokens(rendered);
    return exact.isPresent() ? exact.getAsInt() : TokenEstimator.estimate(rendered);
  }

  /** The primary backend's context window. */
  int contextLength() {
    return contextLength(chain.get(0).backend());
  }

  /**
   * A backend's context window: what it declares, else what its model list reports (an inference
   * server's {@code max_model_len}, asked once), else {@value #DEFAULT_CONTEXT} tokens.
   */
  private int contextLength(Backend backend) {
    OptionalInt declared = backend.capabilities().contextLength();
    if (declared.isPresent()) {
      return declared.getAsInt();
    }
    Integer known = listedContext.get(backend);
    if (known != null) {
      return known;
    }
    int listed = DEFAULT_CONTEXT;
    try {
      for (ModelInfo m : backend.models()) {
        if (m.contextLength().isPresent()) {
          listed = m.contextLength().getAsInt();
          break;
        }
      }
    } catch (BanterException e) {
      LOG.log(Level.FINE, "backend '" + backend.id() + "' cannot list its models now; assuming " + DEFAULT_CONTEXT
          + " tokens of context", e);
      return DEFAULT_CONTEXT;
    }
    listedContext.put(backend, listed);
    return listed;
  }

  PersonaRegistry personaRegistry() {
    return personas;
  }

  GuardedBackend guarded(int index) {
    return chain.get(index);
  }

  @Override
  public Conversation conversation(ConversationSettings settings) {
    ensureOpen();
    Persona persona = settings.persona().isPresent() ? personas.require(settings.persona().get()) : defaultPersona;
    return new DefaultConversation(this, persona, settings);
  }

  @Override
  public List<Persona> personas() {
    return personas.all();
  }

  @Override
  public Optional<Persona> defaultPersona() {
    return Optional.ofNullable(defaultPersona);
  }

  @Override
  public List<ModelInfo> models() {
    ensureOpen();
    return chain.get(0).backend().models();
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this ChatModel was closed");
    }
  }

  /** The load of the backends in the chain that report one, added up; empty when none does. */
  @Override
  public Optional<BackendLoad> load() {
    Optional<BackendLoad> total = Optional.empty();
    for (GuardedBackend gb : chain) {
      if (gb.backend() instanceof LoadReporting reporting) {
        Optional<BackendLoad> load = reporting.load();
        if (load.isPresent()) {
          total = Optional.of(total.map(t -> t.plus(load.get())).orElse(load.get()));
        }
      }
    }
    return total;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Streams still running end now, as cancelled, whether or not their backend ends them itself.
    for (ChatStreamEmitter s : running) {
      s.cancel();
    }
    for (GuardedBackend gb : chain) {
      try {
        gb.backend().close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Closing backend '" + gb.name() + "' failed", e);
      }
    }
    workers.shutdown();
    timer.shutdownNow();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("BanterChatModel{backends=");
    for (int i = 0; i < chain.size(); i++) {
      sb.append(i == 0 ? "" : " -> ").append(chain.get(i).name());
    }
    return sb.append(", persona=").append(defaultPersona == null ? "none" : defaultPersona.id())
        .append(", ").append(resilience).append('}').toString();
  }
}
