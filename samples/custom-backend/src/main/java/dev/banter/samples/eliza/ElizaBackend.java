package dev.banter.samples.eliza;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.api.Role;
import dev.banter.api.Usage;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.Capability;
import dev.banter.spi.ChatStreamEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ELIZA backend. A "token" here is a word: the answer streams word by word, {@code maxTokens}
 * counts words, usage counts words. Stop sequences end the answer where they would appear. The
 * persona's style is read from the system message. Thread-safe.
 */
final class ElizaBackend implements Backend {
  static final String MODEL = "eliza-1966";

  private final Duration wordDelay;
  private final ExecutorService streams;
  private final AtomicInteger turns = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  // tag::config[]
  ElizaBackend(BackendConfig config) {
    this.wordDelay = config.getDuration("word-delay", Duration.ZERO);
    this.streams = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "eliza-stream");
      t.setDaemon(true);
      return t;
    });
  }
  // end::config[]

  @Override
  public String id() {
    return "eliza";
  }

  // tag::capabilities[]
  @Override
  public BackendCapabilities capabilities() {
    return BackendCapabilities.of(0, Capability.STREAMING, Capability.STOP_SEQUENCES, Capability.SEED);
  }
  // end::capabilities[]

  // tag::chat[]
  @Override
  public ChatResponse chat(ChatRequest request) {
    Answer a = answer(request);
    return ChatResponse.builder()
        .text(String.join(" ", a.words))
        .finishReason(a.finish)
        .usage(Usage.of(a.promptWords, a.words.size()))
        .model(MODEL)
        .backendId(id())
        .build();
  }
  // end::chat[]

  // tag::stream[]
  @Override
  public ChatStream stream(ChatRequest request) {
    Answer a = answer(request);
    ChatStreamEmitter out = ChatStreamEmitter.create(id(), MODEL);
    streams.execute(() -> {
      int sent = 0;
      try {
        for (String word : a.words) {
          if (sent > 0 && !wordDelay.isZero()) {
            Thread.sleep(wordDelay.toMillis());
          }
          out.awaitWritable();
          if (!out.emit(ChatChunk.ofText(sent == 0 ? word : " " + word))) {
            break;
          }
          sent++;
        }
        out.complete(a.finish, Usage.of(a.promptWords, sent));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.complete(FinishReason.CANCELLED, Usage.of(a.promptWords, sent));
      } catch (BanterException e) {
        out.fail(e);
      }
    });
    return out;
  }
  // end::stream[]

  private Answer answer(ChatRequest request) {
    if (closed.get()) {
      throw new IllegalStateException("the eliza backend was closed");
    }
    String system = "";
    String last = null;
    int promptWords = 0;
    for (Message m : request.messages()) {
      promptWords += words(m.content()).size();
      if (m.role() == Role.SYSTEM) {
        system = system + "\n" + m.content();
      } else if (m.role() == Role.USER) {
        last = m.content();
      }
    }
    if (last == null) {
      throw new InvalidRequestException("ELIZA answers user messages; the request has none.", id(), "messages", null);
    }
    long seed = request.options().seed().orElse(turns.getAndIncrement());
    int choice = (int) (seed ^ (seed >>> 32));
    String text = Style.fromSystemPrompt(system).apply(Eliza.answer(last, choice), choice);
    FinishReason finish = FinishReason.STOP;
    for (String stop : request.options().stop()) {
      int at = text.indexOf(stop);
      if (at >= 0) {
        text = text.substring(0, at);
      }
    }
    List<String> words = words(text);
    int max = request.options().maxTokens().orElse(Integer.MAX_VALUE);
    if (words.size() > max) {
      words = new ArrayList<>(words.subList(0, max));
      finish = FinishReason.LENGTH;
    }
    return new Answer(words, finish, promptWords);
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  @Override
  public OptionalInt countTokens(List<Message> messages) {
    return OptionalInt.empty();
  }

  @Override
  public List<ModelInfo> models() {
    return List.of(ModelInfo.of(MODEL, "banter-samples"));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      streams.shutdownNow();
    }
  }

  private static final class Answer {
    final List<String> words;
    final FinishReason finish;
    final int promptWords;

    Answer(List<String> words, FinishReason finish, int promptWords) {
      this.words = words;
      this.finish = finish;
      this.promptWords = promptWords;
    }
  }
}
