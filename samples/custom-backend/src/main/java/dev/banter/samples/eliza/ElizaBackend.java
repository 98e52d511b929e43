package dev.banter.samples.eliza;

import dev.banter.api.ChatRequest;
import dev.banter.api.ChatStream;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.api.Role;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.Capability;
import dev.banter.spi.TokenStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ELIZA backend. A "token" here is a word: the answer streams word by word, and
 * {@link TokenStream} counts words for {@code maxTokens} and the usage, and cuts the answer at
 * stop sequences. The persona's style is read from the system message. Thread-safe.
 */
final class ElizaBackend implements Backend {
  static final String MODEL = "eliza-1966";

  private final Duration wordDelay;
  private final AtomicInteger turns = new AtomicInteger();

  // tag::config[]
  ElizaBackend(BackendConfig config) {
    this.wordDelay = config.getDuration("word-delay", Duration.ZERO);
  }
  // end::config[]

  @Override
  public String id() {
    return "eliza";
  }

  // tag::capabilities[]
  @Override
  public BackendCapabilities capabilities() {
    return BackendCapabilities.of(Capability.STREAMING, Capability.STOP_SEQUENCES, Capability.SEED);
  }
  // end::capabilities[]

  // tag::stream[]
  @Override
  public ChatStream stream(ChatRequest request) {
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
    List<String> answer = words(Style.fromSystemPrompt(system).apply(Eliza.answer(last, choice), choice));
    return TokenStream.start(id(), MODEL, request, promptWords, sink -> {
      for (int i = 0; i < answer.size(); i++) {
        if (i > 0 && !wordDelay.isZero()) {
          Thread.sleep(wordDelay.toMillis());
        }
        if (!sink.accept(i == 0 ? answer.get(i) : " " + answer.get(i))) {
          return;
        }
      }
    });
  }
  // end::stream[]

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
  public List<ModelInfo> models() {
    return List.of(ModelInfo.of(MODEL, "banter-samples"));
  }
}
