package dev.banter.site.snippets;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.ResponseFormat;
import dev.banter.api.StructuredOutputException;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolChoice;
import dev.banter.api.ToolLoopLimitException;
import dev.banter.api.ToolSpec;
import dev.banter.core.Banter;
import dev.banter.core.tools.Description;
import dev.banter.core.tools.JsonSchemas;
import dev.banter.core.tools.Range;
import dev.banter.core.tools.Size;
import dev.banter.core.tools.Structured;
import dev.banter.core.tools.StructuredChat;
import dev.banter.core.tools.ToolLoop;
import dev.banter.core.tools.ToolLoopResult;
import dev.banter.core.tools.Tools;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The code of the tools page; {@code SnippetsRunTest} runs it on a scripted model. */
final class ToolsSnippets {
  private ToolsSnippets() {}

  // tag::types[]
  enum Unit { CELSIUS, FAHRENHEIT }

  @Description("A weather lookup")
  record WeatherQuery(
      @Description("City name, e.g. Oslo") String city,
      @Description("Defaults to CELSIUS") Optional<Unit> unit) {}

  record Weather(String city, double temperature, Unit unit, @Size(max = 3) List<String> warnings) {}

  record Forecast(String city, @Range(min = 1, max = 14) int days, List<Weather> daily) {}
  // end::types[]

  static String schema() {
    // tag::schema[]
    String schema = JsonSchemas.of(WeatherQuery.class);     // unit: optional, may be null
    String strict = JsonSchemas.strict(WeatherQuery.class); // unit: required, may be null
    // end::schema[]
    return schema + strict;
  }

  static Weather structured(ChatModel model) {
    // tag::structured[]
    StructuredChat structured = StructuredChat.of(model);   // one repair attempt by default
    Weather w = structured.value("What is the weather in Oslo? Answer as JSON.", Weather.class);

    Structured<Forecast> f = structured.chat(ChatRequest.builder()
        .system("You are a weather service. Answer with JSON only.")
        .user("Three-day forecast for Bergen.")
        .build(), Forecast.class);
    System.out.println(f.value().daily().size() + " days, " + f.attempts() + " attempt(s), "
        + f.response().usage().map(u -> u.totalTokens() + " tokens").orElse("usage unknown"));
    // end::structured[]
    return w;
  }

  static String structuredErrors(ChatModel model) {
    // tag::structured-errors[]
    try {
      return StructuredChat.builder(model).repairAttempts(2).build()
          .value("Weather in Oslo?", Weather.class).city();
    } catch (StructuredOutputException e) {
      // e.problem(): "$.temperature: required property missing"; e.rawText(): the whole answer
      return "No usable answer after " + e.attempts() + " attempts: " + e.problem();
    }
    // end::structured-errors[]
  }

  static ToolLoopResult loop(ChatModel model) {
    // tag::loop[]
    ToolLoop loop = ToolLoop.builder(model)
        .tool("get_weather", "Current weather for a city", WeatherQuery.class,
            q -> new Weather(q.city(), 4.5, q.unit().orElse(Unit.CELSIUS), List.of()))
        .tool(ToolSpec.of("local_time", "The local time in a city",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"),
            json -> "{\"time\":\"09:30\"}")                 // JSON in, text out
        .maxSteps(6)
        .build();
    ToolLoopResult result = loop.run("Should I take an umbrella in Oslo this morning?");
    System.out.println(result.text());
    result.steps().forEach(step -> step.executions().forEach(System.out::println));
    // end::loop[]
    return result;
  }

  static String loopLimit(ChatModel model, ToolLoop loop) {
    // tag::loop-limit[]
    try {
      return loop.run("Plan my week around the weather.").text();
    } catch (ToolLoopLimitException e) {
      ChatResponse last = model.chat(ChatRequest.builder().messages(e.messages())
          .tools(loop.specs()).toolChoice(ToolChoice.none()).build());   // answer with what you have
      return last.text();
    }
    // end::loop-limit[]
  }

  static ChatResponse manual(ChatModel model) {
    // tag::manual[]
    ToolSpec weather = Tools.spec("get_weather", "Current weather for a city", WeatherQuery.class);
    ChatRequest request = ChatRequest.builder().user("Weather in Oslo?")
        .tools(weather).toolChoice(ToolChoice.function("get_weather")).build();
    ChatResponse first = model.chat(request);
    ChatRequest.Builder next = request.toBuilder().toolChoice(ToolChoice.auto()).message(first.message());
    for (ToolCall call : first.message().toolCalls()) {
      next.message(Message.tool(call.id(), "{\"temperature\":4.5,\"unit\":\"CELSIUS\"}"));
    }
    ChatResponse answer = model.chat(next.build());
    // end::manual[]
    return answer;
  }

  // tag::local-types[]
  enum Mood { HAPPY, GLUM, CURIOUS }

  record DayReview(Mood mood, @Range(min = 1, max = 5) int stars) {}

  record CityQuery(@Size(min = 1, max = 20) String city) {}
  // end::local-types[]

  static DayReview localStructured(Path gguf) {
    // tag::local-structured[]
    try (ChatModel local = Banter.builder().backend("local").set("model", gguf.toString()).build()) {
      // Decoding follows the schema's grammar: the answer parses and keeps the bounds.
      DayReview review = StructuredChat.of(local).value("How was your day?", DayReview.class);

      ChatResponse yesNo = local.chat(ChatRequest.builder().user("Is it raining?")
          .responseFormat(ResponseFormat.grammar("root ::= (\"yes\" | \"no\") \".\""))  // GBNF
          .build());
      System.out.println(review.mood() + ", " + review.stars() + " stars; " + yesNo.text());
      return review;
    }
    // end::local-structured[]
  }

  static ToolCall localTools(Path gguf) {
    // tag::local-tools[]
    try (ChatModel local = Banter.builder().backend("local").set("model", gguf.toString())
        .set("context", "1024")                  // tool descriptions take room in the prompt
        .build()) {
      ChatResponse r = local.chat(ChatRequest.builder().user("Is it raining in Oslo?")
          .tools(Tools.spec("get_weather", "Current weather for a city", CityQuery.class))
          .toolChoice(ToolChoice.required())       // one call, written in the template's syntax
          .options(GenerationOptions.builder().maxTokens(200).logprobs(true).build())
          .build());
      ToolCall call = r.message().toolCalls().get(0);   // r.finishReason(): TOOL_CALLS
      System.out.println(call.name() + " " + call.arguments() + ", first token's logprob "
          + r.logprobs().get(0).logprob());
      return call;
    }
    // end::local-tools[]
  }
}
