package dev.banter.core.tools;

import static dev.banter.core.tools.ScriptedToolsBackend.call;
import static dev.banter.core.tools.ScriptedToolsBackend.calls;
import static dev.banter.core.tools.ScriptedToolsBackend.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ConfigurationException;
import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.api.ToolChoice;
import dev.banter.api.ToolLoopLimitException;
import dev.banter.api.ToolSpec;
import dev.banter.api.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ToolLoopTest {
  record WeatherQuery(@Description("City name") String city) {}

  record Weather(String city, double celsius) {}

  private final ScriptedToolsBackend backend = new ScriptedToolsBackend();
  private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

  private ToolLoop.Builder weatherLoop(ChatModel model) {
    return ToolLoop.builder(model).tool("get_weather", "Current weather for a city", WeatherQuery.class, q -> {
      ran.add(q.city());
      return new Weather(q.city(), q.city().length());
    });
  }

  @Test
  void a_single_call_is_run_and_its_result_sent_back_before_the_final_answer() {
    try (ChatModel model = backend.then(
        calls(call("c1", "get_weather", "{\"city\":\"Oslo\"}")),
        text("Oslo: 4 degrees.")).model()) {
      ToolLoopResult r = weatherLoop(model).build().run("Weather in Oslo?");
      assertEquals("Oslo: 4 degrees.", r.text());
      assertEquals(List.of("Oslo"), ran);
      assertEquals(2, r.steps().size());
      ToolExecution e = r.steps().get(0).executions().get(0);
      assertEquals("{\"city\":\"Oslo\",\"celsius\":4.0}", e.result());
      assertFalse(e.failed());
      assertEquals(List.of(), r.steps().get(1).executions());

      ChatRequest second = backend.requests.get(1);
      assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL),
          second.messages().stream().map(Message::role).toList());
      assertEquals(Message.tool("c1", "{\"city\":\"Oslo\",\"celsius\":4.0}"), second.messages().get(2));
      assertEquals(List.of("get_weather"), backend.requests.get(0).tools().stream().map(ToolSpec::name).toList());
      assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT),
          r.messages().stream().map(Message::role).toList());
      assertEquals(new Usage(20, 10, 0, 0), r.usage().orElseThrow());
    }
  }

  @Test
  void parallel_calls_are_answered_in_the_models_order() {
    try (ChatModel model = backend.then(
        calls(call("a", "get_weather", "{\"city\":\"Oslo\"}"), call("b", "get_weather", "{\"city\":\"Rome\"}"),
            call("c", "get_weather", "{\"city\":\"Lima\"}")),
        text("Done.")).model()) {
      ToolLoopResult r = weatherLoop(model).build().run("Weather in Oslo, Rome and Lima?");
      assertEquals(List.of("Oslo", "Rome", "Lima"), ran);
      List<Message> sent = backend.requests.get(1).messages();
      assertEquals(List.of("a", "b", "c"), sent.subList(2, 5).stream().map(m -> m.toolCallId().orElseThrow()).toList());
      assertEquals(3, r.steps().get(0).executions().size());
    }
  }

  @Test
  void with_an_executor_parallel_calls_run_concurrently_and_results_keep_the_models_order() throws Exception {
    CountDownLatch allStarted = new CountDownLatch(3);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (ChatModel model = backend.then(
        calls(call("a", "slow", "{\"city\":\"A\"}"), call("b", "slow", "{\"city\":\"B\"}"),
            call("c", "slow", "{\"city\":\"C\"}")),
        text("Done.")).model()) {
      ToolLoop loop = ToolLoop.builder(model).executor(pool)
          .tool("slow", "Waits for the others", WeatherQuery.class, q -> {
            allStarted.countDown();
            // Only returns once all three run at the same time; run one by one, it would time out.
            return allStarted.await(10, TimeUnit.SECONDS) ? q.city() : "not concurrent";
          })
          .build();
      ToolLoopResult r = loop.run("Go");
      assertEquals(List.of("A", "B", "C"),
          r.steps().get(0).executions().stream().map(ToolExecution::result).toList());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_tool_that_throws_gives_the_model_an_error_result_and_the_loop_goes_on() {
    try (ChatModel model = backend.then(
        calls(call("c1", "explode", "{}")),
        text("The tool failed, sorry.")).model()) {
      ToolLoop loop = ToolLoop.builder(model)
          .tool(ToolSpec.of("explode", "Fails", "{\"type\":\"object\",\"properties\":{}}"), args -> {
            throw new IllegalStateException("disk full");
          })
          .build();
      ToolLoopResult r = loop.run("Try it");
      ToolExecution e = r.steps().get(0).executions().get(0);
      assertTrue(e.failed());
      assertEquals("{\"error\":\"Tool 'explode' failed: IllegalStateException: disk full\"}", e.result());
      assertEquals("The tool failed, sorry.", r.text());
    }
  }

  @Test
  void an_unknown_tool_gives_an_error_result_listing_the_tools() {
    try (ChatModel model = backend.then(calls(call("c1", "get_wether", "{\"city\":\"Oslo\"}")), text("Oops.")).model()) {
      ToolLoopResult r = weatherLoop(model).build().run("Weather?");
      ToolExecution e = r.steps().get(0).executions().get(0);
      assertTrue(e.failed());
      assertEquals("{\"error\":\"There is no tool named 'get_wether'. Available tools: get_weather.\"}", e.result());
      assertEquals(List.of(), ran);
    }
  }

  @Test
  void arguments_that_break_the_schema_give_an_error_result_without_running_the_tool() {
    try (ChatModel model = backend.then(
        calls(call("c1", "get_weather", "{\"town\":\"Oslo\"}"), call("c2", "get_weather", "Oslo")),
        text("Let me fix that.")).model()) {
      ToolLoopResult r = weatherLoop(model).build().run("Weather?");
      List<ToolExecution> e = r.steps().get(0).executions();
      assertTrue(e.get(0).failed());
      assertTrue(e.get(0).result().contains("$.city: required property missing"), e.get(0).result());
      assertTrue(e.get(0).result().contains("$.town: unknown property"), e.get(0).result());
      assertTrue(e.get(1).failed());
      assertTrue(e.get(1).result().contains("not valid JSON"), e.get(1).result());
      assertEquals(List.of(), ran);
    }
  }

  @Test
  void the_step_limit_ends_the_loop_with_the_conversation_so_far() {
    try (ChatModel model = backend.then(
        calls(call("c1", "get_weather", "{\"city\":\"Oslo\"}")),
        calls(call("c2", "get_weather", "{\"city\":\"Oslo\"}")),
        calls(call("c3", "get_weather", "{\"city\":\"Oslo\"}"))).model()) {
      ToolLoopLimitException e = assertThrows(ToolLoopLimitException.class,
          () -> weatherLoop(model).maxSteps(3).build().run("Weather?"));
      assertEquals(3, e.maxSteps());
      assertEquals(3, backend.requests.size());
      assertEquals(7, e.messages().size());
      assertEquals(Message.tool("c3", "{\"city\":\"Oslo\",\"celsius\":4.0}"), e.messages().get(6));
      assertTrue(e.getMessage().contains("after 3 steps"), e.getMessage());
    }
  }

  @Test
  void a_forced_tool_choice_applies_to_the_first_step_only() {
    try (ChatModel model = backend.then(calls(call("c1", "get_weather", "{\"city\":\"Oslo\"}")), text("4 degrees."))
        .model()) {
      ToolLoop loop = weatherLoop(model).build();
      ChatRequest request = ChatRequest.builder().user("Weather?").tools(loop.specs())
          .toolChoice(ToolChoice.required()).build();
      assertThrows(IllegalArgumentException.class, () -> loop.run(request), "request and loop both define it");
      ChatRequest forced = ChatRequest.builder().user("Weather?")
          .tools(ToolSpec.of("noop", "", "{\"type\":\"object\"}")).toolChoice(ToolChoice.function("noop")).build();
      loop.run(forced);
      assertEquals(ToolChoice.function("noop"), backend.requests.get(0).toolChoice().orElseThrow());
      assertEquals(ToolChoice.auto(), backend.requests.get(1).toolChoice().orElseThrow());
      assertEquals(List.of("noop", "get_weather"),
          backend.requests.get(0).tools().stream().map(ToolSpec::name).toList());
    }
  }

  @Test
  void a_loop_needs_a_tool_and_unique_names() {
    try (ChatModel model = backend.model()) {
      assertThrows(IllegalStateException.class, () -> ToolLoop.builder(model).build());
      ToolLoop.Builder b = weatherLoop(model);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> b.tool("get_weather", "again", WeatherQuery.class, q -> ""));
      assertTrue(e.getMessage().contains("already registered"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> b.maxSteps(0));
    }
  }

  /** A property Jackson reads from a field, but no constructor it may call. */
  static final class Lonely {
    public String city;

    private Lonely(String city, int a, int b) {
      this.city = city;
    }
  }

  @Test
  void a_typed_tool_whose_arguments_jackson_cannot_build_stops_the_loop_as_a_configuration_error() {
    try (ChatModel model = backend.then(calls(call("c1", "lonely", "{\"city\":\"Oslo\"}")), text("never")).model()) {
      ToolLoop loop = ToolLoop.builder(model).tool("lonely", "Cannot be called", Lonely.class, l -> "x").build();
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> loop.run("Go"));
      assertTrue(e.getMessage().contains("Jackson cannot create"), e.getMessage());
      assertEquals(1, backend.requests.size());
    }
  }

  @Test
  void a_string_result_is_sent_as_it_is() {
    try (ChatModel model = backend.then(calls(call("c1", "echo", "{\"city\":\"Oslo\"}")), text("ok")).model()) {
      ToolLoopResult r = ToolLoop.builder(model).tool("echo", "Echoes", WeatherQuery.class, q -> "plain " + q.city())
          .build().run("Echo");
      assertEquals("plain Oslo", r.steps().get(0).executions().get(0).result());
    }
  }
}
