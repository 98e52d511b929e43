package dev.banter.openai.testing;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.Conversation;
import dev.banter.api.ConversationSettings;
import dev.banter.api.FinishReason;
import dev.banter.api.ModelInfo;
import dev.banter.api.Persona;
import dev.banter.api.Usage;
import dev.banter.spi.BackendLoad;
import dev.banter.spi.ChatStreamEmitter;
import dev.banter.spi.LoadReporting;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ChatModel} that answers from a script, for testing the server handler: a fixed
 * answer, a stream of chunks (with a delay between them) or a failure; it records the requests
 * it got and notices when a stream is cancelled. Single requests only (no conversations).
 */
public final class ScriptedChatModel implements ChatModel, LoadReporting {
  public final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
  public final CountDownLatch cancelled = new CountDownLatch(1);
  public final AtomicReference<ChatResponse> answer = new AtomicReference<>(
      ChatResponse.builder().text("Hello there!").usage(Usage.of(9, 3)).model("scripted").build());
  public final AtomicReference<List<ChatChunk>> chunks = new AtomicReference<>(
      List.of(ChatChunk.ofText("Hel"), ChatChunk.ofText("lo there"), ChatChunk.ofText("!")));
  public final AtomicReference<FinishReason> finish = new AtomicReference<>(FinishReason.STOP);
  public final AtomicReference<BanterException> failure = new AtomicReference<>();
  /** A failure reported through the stream after this many chunks (or -1 for none). */
  public volatile int failAfterChunks = -1;
  public volatile long delayMillis;
  /** Released once for every stream started, for tests that wait until one is under way. */
  public final Semaphore streamsStarted = new Semaphore(0);
  /** When set, streams wait for it to open before their first chunk. */
  public volatile CountDownLatch hold;
  public volatile List<ModelInfo> models = List.of(ModelInfo.of("scripted", "banter", 4096));
  /** When set, {@link #models()} throws it (the backend cannot list its models right now). */
  public volatile BanterException modelsFailure;
  /** What {@link #load()} reports. */
  public volatile Optional<BackendLoad> load = Optional.empty();

  @Override
  public Optional<BackendLoad> load() {
    return load;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    requests.add(request);
    BanterException e = failure.get();
    if (e != null) {
      throw e;
    }
    List<ChatChunk> script = chunks.get();
    int limit = request.options().maxTokens().orElse(Integer.MAX_VALUE);
    if (limit < script.size()) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < limit; i++) {
        text.append(script.get(i).text());
      }
      return ChatResponse.builder().text(text.toString()).finishReason(FinishReason.LENGTH)
          .usage(Usage.of(9, limit)).model("scripted").build();
    }
    return answer.get();
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    requests.add(request);
    ChatStreamEmitter out = ChatStreamEmitter.create("scripted", "scripted");
    out.onCancel(cancelled::countDown);
    Thread t = new Thread(() -> produce(request, out), "scripted-model");
    t.setDaemon(true);
    t.start();
    streamsStarted.release();
    return out;
  }

  private void produce(ChatRequest request, ChatStreamEmitter out) {
    CountDownLatch gate = hold;
    if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }
    BanterException e = failure.get();
    if (e != null && failAfterChunks < 0) {
      out.fail(e);
      return;
    }
    int n = 0;
    int completion = 0;
    int limit = request.options().maxTokens().orElse(Integer.MAX_VALUE);
    for (ChatChunk c : chunks.get()) {
      if (completion == limit) {
        out.complete(FinishReason.LENGTH, Usage.of(9, completion));
        return;
      }
      if (e != null && n == failAfterChunks) {
        out.fail(e);
        return;
      }
      sleep();
      if (!out.emit(c)) {
        out.complete(FinishReason.CANCELLED, Usage.of(9, completion));
        return;
      }
      n++;
      completion++;
    }
    if (e != null) {
      out.fail(e);
      return;
    }
    out.complete(finish.get(), Usage.of(9, completion));
  }

  private void sleep() {
    long d = delayMillis;
    if (d > 0) {
      try {
        Thread.sleep(d);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public Conversation conversation(ConversationSettings settings) {
    throw new UnsupportedOperationException("ScriptedChatModel answers single requests only");
  }

  @Override
  public List<Persona> personas() {
    return List.of();
  }

  @Override
  public java.util.Optional<Persona> defaultPersona() {
    return java.util.Optional.empty();
  }

  @Override
  public List<ModelInfo> models() {
    BanterException e = modelsFailure;
    if (e != null) {
      throw e;
    }
    return models;
  }

  @Override
  public void close() {}
}
