package dev.banter.site.snippets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.FinishReason;
import dev.banter.api.ResponseFormat;
import dev.banter.api.ToolCall;
import dev.banter.core.tools.ToolLoop;
import dev.banter.core.tools.ToolLoopResult;
import dev.banter.samples.demo.DemoModel;
import org.junit.jupiter.api.Test;

/** The tools page's snippets, run on a scripted model: what the page shows works. */
class ToolsSnippetsRunTest {
  @Test
  void the_schemas_describe_the_query() {
    assertTrue(ToolsSnippets.schema().contains("\"city\""));
  }

  @Test
  void structured_output_gives_typed_values() {
    ScriptedModel model = new ScriptedModel()
        .text("{\"city\":\"Oslo\",\"temperature\":4.5,\"unit\":\"CELSIUS\",\"warnings\":[]}")
        .text("{\"city\":\"Bergen\",\"days\":3,\"daily\":[]}");
    assertEquals("Oslo", ToolsSnippets.structured(model).city());
    assertEquals(ResponseFormat.Type.JSON_SCHEMA, model.requests.get(0).responseFormat().type());
  }

  @Test
  void a_hopeless_answer_is_reported_with_its_problem() {
    ScriptedModel model = new ScriptedModel().text("sunny").text("sunny!").text("very sunny");
    assertTrue(ToolsSnippets.structuredErrors(model).startsWith("No usable answer after 3 attempts"));
  }

  @Test
  void the_tool_loop_answers_both_tools_and_ends_with_the_answer() {
    ScriptedModel model = new ScriptedModel()
        .call("c1", "get_weather", "{\"city\":\"Oslo\",\"unit\":null}")
        .call("c2", "local_time", "{\"city\":\"Oslo\"}")
        .text("Yes, take one.");
    ToolLoopResult r = ToolsSnippets.loop(model);
    assertEquals("Yes, take one.", r.text());
    assertEquals(3, r.steps().size());
  }

  @Test
  void the_step_limit_snippet_asks_for_a_final_answer() {
    ScriptedModel model = new ScriptedModel().call("c1", "t", "{}").text("Here is what I found.");
    ToolLoop loop = ToolLoop.builder(model).tool("t", "A tool", Empty.class, e -> "nothing").maxSteps(1).build();
    assertEquals("Here is what I found.", ToolsSnippets.loopLimit(model, loop));
  }

  record Empty() {}

  @Test
  void the_manual_round_trip_sends_the_result_back() {
    ScriptedModel model = new ScriptedModel().call("c1", "get_weather", "{\"city\":\"Oslo\"}").text("4.5 degrees.");
    assertEquals(FinishReason.STOP, ToolsSnippets.manual(model).finishReason());
    assertEquals(3, model.requests.get(1).messages().size());
  }

  @Test
  void the_local_engine_keeps_to_the_schema_on_the_demo_model() {
    ToolsSnippets.DayReview review = ToolsSnippets.localStructured(DemoModel.path());
    assertTrue(review.mood() != null);
    assertTrue(review.stars() >= 1 && review.stars() <= 5, "stars: " + review.stars());
  }

  @Test
  void the_local_engine_forces_a_tool_call_on_the_demo_model() {
    ToolCall call = ToolsSnippets.localTools(DemoModel.path());
    assertEquals("get_weather", call.name());
    assertTrue(call.arguments().contains("\"city\""), call.arguments());
  }
}
