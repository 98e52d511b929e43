package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.banter.api.ChatRequest;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.Role;
import java.util.ArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class WireMappingProperties {
  @Provide
  Arbitrary<ChatRequest> requests() {
    Arbitrary<Message> message = Combinators.combine(Arbitraries.of(Role.SYSTEM, Role.USER, Role.ASSISTANT),
        Arbitraries.strings().ofMaxLength(30)).as(Message::of);
    Arbitrary<GenerationOptions> options = Combinators.combine(
        Arbitraries.doubles().between(0, 2).injectNull(0.5),
        Arbitraries.integers().between(0, 100).injectNull(0.5),
        Arbitraries.integers().between(1, 4096).injectNull(0.5),
        Arbitraries.longs().injectNull(0.5),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5).list().ofMaxSize(3).injectNull(0.5))
        .as((t, k, max, seed, stop) -> {
          GenerationOptions.Builder b = GenerationOptions.builder();
          if (t != null) b.temperature(t);
          if (k != null) b.topK(k);
          if (max != null) b.maxTokens(max);
          if (seed != null) b.seed(seed);
          if (stop != null && !stop.isEmpty()) b.stop(stop);
          return b.build();
        });
    return Combinators.combine(message.list().ofMinSize(1).ofMaxSize(5), options)
        .as((messages, o) -> ChatRequest.builder().messages(new ArrayList<>(messages)).options(o).build());
  }

  @Property(tries = 200)
  void requests_survive_the_trip_through_the_wire(@ForAll("requests") ChatRequest r) throws Exception {
    String json = Json.writeString(WireMapping.toWire(r, "m", Dialect.SELF_HOSTED, false, "t"));
    ChatRequest back = ServerRequestMapper.toChatRequest(Json.read(json, WireRequest.class));
    assertEquals(r.messages(), back.messages());
    assertEquals(r.options(), back.options());
  }
}
