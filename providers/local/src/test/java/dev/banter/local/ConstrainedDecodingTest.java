package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.ResponseFormat;
import dev.banter.local.grammar.Grammar;
import dev.banter.local.grammar.GrammarMatcher;
import dev.banter.local.grammar.RandomSchemas;
import dev.banter.local.grammar.TokenIndex;
import dev.banter.local.grammar.SchemaCheck;
import dev.banter.spi.BackendConfig;
import dev.banter.template.Json;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Response formats on random-weight fixture models, whose free output is noise: every answer is
 * JSON that validates against the request's schema, or a sentence of its grammar, even when the
 * token limit cuts it short.
 */
class ConstrainedDecodingTest {
  /** SentencePiece with byte-fallback pieces, and byte-level BPE. */
  private static final String[] MODELS = {"gguf/tiny-llama-f32.gguf", "gguf/tiny-qwen2-f32.gguf"};
  private static final LocalBackend[] BACKENDS = new LocalBackend[MODELS.length];

  static synchronized LocalBackend backend(int i) {
    if (BACKENDS[i] == null) {
      BACKENDS[i] = (LocalBackend) new LocalBackendProvider().create(BackendConfig.builder("local")
          .set("model", TestResources.path(MODELS[i]).toString()).set("threads", "1").set("slots", "1")
          .set("context", "512").build());
    }
    return BACKENDS[i];
  }

  @AfterContainer
  static synchronized void close() {
    for (int i = 0; i < BACKENDS.length; i++) {
      if (BACKENDS[i] != null) {
        BACKENDS[i].close();
        BACKENDS[i] = null;
      }
    }
  }

  /**
   * The fewest tokens that spell a complete answer: a limit below it cannot give one, so the
   * properties ask for at least this many on top of their own.
   */
  private static int floor(int model, Grammar grammar) {
    return new GrammarMatcher(grammar, TokenIndex.of(backend(model).model().tokenizer())).completionTokens().length;
  }

  private static ChatResponse ask(int model, ResponseFormat format, boolean hot, int maxTokens, long seed) {
    GenerationOptions options = GenerationOptions.builder().temperature(hot ? 1.0 : 0.0).seed(seed)
        .maxTokens(maxTokens).build();
    return backend(model).chat(ChatRequest.builder().user("Answer in JSON, please.").options(options)
        .responseFormat(format).build());
  }

  @Property(tries = 60)
  void every_answer_to_a_random_schema_parses_and_validates(@ForAll long seed, @ForAll boolean hot,
      @ForAll @IntRange(min = 1, max = 48) int maxTokens, @ForAll @IntRange(min = 0, max = 1) int model) {
    Object schema = RandomSchemas.of(seed);
    String schemaText = dev.banter.local.grammar.JsonTextForTests.write(schema);
    int limit = floor(model, Grammar.fromJsonSchema(schemaText)) + maxTokens - 1;
    ChatResponse r = ask(model, ResponseFormat.jsonSchema("random", schemaText, true), hot, limit, seed);
    Object value;
    try {
      value = Json.parse(r.text());
    } catch (RuntimeException e) {
      throw new AssertionError("not JSON for " + schemaText + " (" + r.finishReason() + "): " + r.text(), e);
    }
    assertNull(SchemaCheck.validate(schema, value), () -> schemaText + " -> " + r.text());
    assertTrue(r.finishReason() == FinishReason.STOP || r.finishReason() == FinishReason.LENGTH, r.toString());
    assertTrue(r.usage().orElseThrow().completionTokens() <= limit);
  }

  @Property(tries = 12)
  void json_object_mode_gives_a_json_object(@ForAll long seed, @ForAll boolean hot,
      @ForAll @IntRange(min = 1, max = 64) int maxTokens, @ForAll @IntRange(min = 0, max = 1) int model) {
    ChatResponse r = ask(model, ResponseFormat.jsonObject(), hot, 1 + maxTokens, seed);
    assertTrue(Json.parse(r.text()) instanceof Map, r.text());
  }

  @Property(tries = 12)
  void a_gbnf_grammar_gives_one_of_its_sentences(@ForAll long seed, @ForAll boolean hot,
      @ForAll @IntRange(min = 1, max = 40) int maxTokens, @ForAll @IntRange(min = 0, max = 1) int model) {
    String gbnf = "root ::= \" Answer: \" (\"yes\" | \"no\" | [0-9]{1,3}) (\", because \" [a-z ]{1,30})? \".\"";
    ChatResponse r = ask(model, ResponseFormat.grammar(gbnf), hot, floor(model, Grammar.parse(gbnf)) + maxTokens - 1,
        seed);
    assertTrue(r.text().matches(" Answer: (yes|no|[0-9]{1,3})(, because [a-z ]{1,30})?\\."), r.text());
  }

  @Property(tries = 12)
  void a_tiny_token_limit_still_closes_the_answer_and_reports_length(@ForAll long seed, @ForAll boolean hot,
      @ForAll @IntRange(min = 0, max = 1) int model) {
    String schema = "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
        + "\"n\":{\"type\":\"integer\",\"minimum\":10}},\"required\":[\"items\",\"n\"]}";
    // Exactly the fewest tokens of a complete answer ({"items":[],"n":10}): the model may start,
    // but must close the answer in time.
    int limit = floor(model, Grammar.fromJsonSchema(schema));
    ChatResponse r = ask(model, ResponseFormat.jsonSchema("s", schema, true), hot, limit, seed);
    assertEquals(limit, r.usage().orElseThrow().completionTokens(), r.text());
    Object value = Json.parse(r.text());
    assertNull(SchemaCheck.validate(Json.parse(schema), value), r.text());
    assertEquals(FinishReason.LENGTH, r.finishReason(), r.text());
  }

  @Property(tries = 6)
  void an_answer_still_running_at_the_limit_is_closed_in_time(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 1) int model) {
    String schema = "{\"type\":\"object\",\"properties\":{\"notes\":{\"type\":\"array\",\"items\":"
        + "{\"type\":\"string\",\"minLength\":3}}},\"required\":[\"notes\"]}";
    int limit = floor(model, Grammar.fromJsonSchema(schema)) + 30;
    ChatResponse r = ask(model, ResponseFormat.jsonSchema("s", schema, true), true, limit, seed);
    assertNull(SchemaCheck.validate(Json.parse(schema), Json.parse(r.text())), r.text());
    assertTrue(r.usage().orElseThrow().completionTokens() <= limit);
    assertTrue(r.finishReason() == FinishReason.LENGTH || r.finishReason() == FinishReason.STOP, r.toString());
  }

  @Property(tries = 1)
  void invalid_schemas_and_grammars_are_invalid_requests_naming_the_part() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ask(0,
        ResponseFormat.jsonSchema("s", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"strin\"}}}", true),
        false, 5, 1));
    assertEquals("responseFormat", e.parameter().orElseThrow());
    assertTrue(e.getMessage().contains("#/properties/a/type") && e.getMessage().contains("strin"), e.getMessage());
    e = assertThrows(InvalidRequestException.class, () -> ask(0, ResponseFormat.grammar("root ::= x\nx ::= [a-"),
        false, 5, 1));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("rule 'x'"), e.getMessage());
    e = assertThrows(InvalidRequestException.class, () -> ask(0, ResponseFormat.jsonSchema("s", "{\"type\":", true),
        false, 5, 1));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Property(tries = 2)
  void a_greedy_constrained_answer_takes_the_best_allowed_token_at_every_step(
      @ForAll @IntRange(min = 0, max = 1) int model) {
    String schema = "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"},\"n\":{\"type\":\"integer\","
        + "\"minimum\":0,\"maximum\":99},\"tag\":{\"enum\":[\"a\",\"b\"]}},\"required\":[\"ok\",\"n\",\"tag\"],"
        + "\"additionalProperties\":false}";
    ChatResponse r = ask(model, ResponseFormat.jsonSchema("s", schema, true), false, 200, 1);
    assertEquals(FinishReason.STOP, r.finishReason(), r.text());
    // The same answer computed the slow way: the full mask at every step, then the best token.
    dev.banter.local.model.Model m = backend(model).model();
    dev.banter.local.tokenizer.Tokenizer tok = m.tokenizer();
    int[] prompt = ChatPrompt.of(m).tokens(java.util.List.of(dev.banter.api.Message.user("Answer in JSON, please.")),
        java.util.List.of());
    dev.banter.local.model.Session session = m.newSession(512, 64);
    float[] logits = session.append(prompt, 0, prompt.length);
    GrammarMatcher matcher = new GrammarMatcher(Grammar.fromJsonSchema(schema), TokenIndex.of(tok));
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    while (true) {
      matcher.maskLogits(logits);
      int best = 0;
      for (int t = 1; t < tok.vocabSize(); t++) {
        if (logits[t] > logits[best]) {
          best = t;
        }
      }
      if (tok.isEog(best)) {
        break;
      }
      matcher.accept(best);
      text.writeBytes(tok.textBytes(best));
      logits = session.append(new int[] {best}, 0, 1);
    }
    assertEquals(text.toString(java.nio.charset.StandardCharsets.UTF_8), r.text());
  }
}
