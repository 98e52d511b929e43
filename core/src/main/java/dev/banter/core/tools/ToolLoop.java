package dev.banter.core.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ConfigurationException;
import dev.banter.api.Message;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolChoice;
import dev.banter.api.ToolLoopLimitException;
import dev.banter.api.ToolSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Runs the tool-calling conversation for an application: sends a request with its tools, answers
 * each tool call the model makes by running the registered Java function, sends the results
 * back, and repeats until the model answers without calling a tool. Immutable and thread-safe
 * (when the tools are); one loop can run many conversations at once.
 *
 * <pre>{@code
 * record WeatherQuery(@Description("City name") String city) {}
 * ToolLoop loop = ToolLoop.builder(model)
 *     .tool("get_weather", "Current weather for a city", WeatherQuery.class, q -> weatherService.now(q.city()))
 *     .maxSteps(5)
 *     .build();
 * ToolLoopResult r = loop.run("Do I need an umbrella in Oslo?");
 * System.out.println(r.text());
 * }</pre>
 *
 * <p>Rules of the loop:
 * <ul>
 *   <li>The registered tools are added to the request's own tools; a request tool with a registered
 *       tool's name is an error.
 *   <li>Several calls in one response run in the model's order, one after the other; with an
 *       {@link Builder#executor(Executor)} they run concurrently, and their results are still
 *       appended in the model's order.
 *   <li>Nothing a tool does stops the loop: an exception, arguments that break the tool's schema or
 *       no JSON at all, and a call to a name no tool has, each become an {@code {"error": "..."}}
 *       result for the model to read and react to (an {@link Error} such as
 *       {@code OutOfMemoryError} is not caught). A typed tool whose arguments type Jackson cannot
 *       create at all is the application's error and ends the loop with a
 *       {@link ConfigurationException}.
 *   <li>A {@link ToolChoice#required()} or {@link ToolChoice#function(String)} choice on the request
 *       applies to the first step only; later steps use {@link ToolChoice#auto()}, so the model can
 *       answer.
 *   <li>A step is one model call. When the model still asks for tools in step {@code maxSteps}, those
 *       calls are answered and a {@link ToolLoopLimitException} holding the conversation is thrown:
 *       an exception rather than a result flagged as cut short, so that a half-done loop is never
 *       mistaken for an answer.
 *   <li>Calls go through {@link ChatModel#chat(ChatRequest)}, not streaming; each step is billed.
 * </ul>
 */
public final class ToolLoop {
  private final ChatModel model;
  private final Map<String, Registered> tools;
  private final int maxSteps;
  private final Executor executor;

  private ToolLoop(Builder b) {
    this.model = b.model;
    this.tools = Collections.unmodifiableMap(new LinkedHashMap<>(b.tools));
    this.maxSteps = b.maxSteps;
    this.executor = b.executor;
  }

  /** Starts a loop on {@code model}. */
  public static Builder builder(ChatModel model) {
    return new Builder(model);
  }

  /** The specs of the registered tools, in registration order. */
  public List<ToolSpec> specs() {
    List<ToolSpec> specs = new ArrayList<>();
    tools.values().forEach(t -> specs.add(t.spec));
    return Collections.unmodifiableList(specs);
  }

  /** Runs the loop for one user message. */
  public ToolLoopResult run(String userMessage) {
    return run(ChatRequest.of(userMessage));
  }

  /**
   * Runs the loop from {@code request}.
   *
   * @throws ToolLoopLimitException when the model still calls tools in step {@code maxSteps}
   * @throws IllegalArgumentException when the request has a tool of the same name as a registered one
   * @throws ConfigurationException when Jackson cannot create a typed tool's arguments type at all
   * @throws dev.banter.api.BanterException when a model call fails; tools already run stay run
   */
  public ToolLoopResult run(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    List<ToolSpec> allTools = new ArrayList<>(request.tools());
    for (ToolSpec own : request.tools()) {
      if (tools.containsKey(own.name())) {
        throw new IllegalArgumentException("The request already has a tool named '" + own.name()
            + "', and the loop registers one too; rename one of them.");
      }
    }
    allTools.addAll(specs());
    ChatRequest next = request.toBuilder().tools(allTools).build();
    List<Message> messages = new ArrayList<>(request.messages());
    List<ToolLoopStep> steps = new ArrayList<>();
    for (int step = 1; ; step++) {
      ChatResponse response = model.chat(next);
      messages.add(response.message());
      List<ToolCall> calls = response.message().toolCalls();
      if (calls.isEmpty()) {
        steps.add(new ToolLoopStep(response, List.of()));
        return new ToolLoopResult(steps, messages);
      }
      List<ToolExecution> executions = execute(calls);
      for (ToolExecution e : executions) {
        messages.add(Message.tool(e.call().id(), e.result()));
      }
      steps.add(new ToolLoopStep(response, executions));
      if (step >= maxSteps) {
        throw new ToolLoopLimitException(maxSteps, messages, response.backendId().orElse(null));
      }
      ChatRequest.Builder b = next.toBuilder().messages(messages);
      ToolChoice.Mode mode = next.toolChoice().map(ToolChoice::mode).orElse(ToolChoice.Mode.AUTO);
      if (mode == ToolChoice.Mode.REQUIRED || mode == ToolChoice.Mode.FUNCTION) {
        b.toolChoice(ToolChoice.auto());
      }
      next = b.build();
    }
  }

  private List<ToolExecution> execute(List<ToolCall> calls) {
    List<ToolExecution> out = new ArrayList<>();
    if (executor == null || calls.size() == 1) {
      for (ToolCall c : calls) {
        out.add(execute(c));
      }
      return out;
    }
    List<CompletableFuture<ToolExecution>> running = new ArrayList<>();
    for (ToolCall c : calls) {
      running.add(CompletableFuture.supplyAsync(() -> execute(c), executor));
    }
    for (CompletableFuture<ToolExecution> f : running) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException) {
          throw (RuntimeException) e.getCause();
        }
        if (e.getCause() instanceof Error) {
          throw (Error) e.getCause();
        }
        throw e;
      }
    }
    return out;
  }

  private ToolExecution execute(ToolCall call) {
    Registered tool = tools.get(call.name());
    if (tool == null) {
      return new ToolExecution(call, error("There is no tool named '" + call.name() + "'. Available tools: "
          + String.join(", ", tools.keySet()) + "."), true);
    }
    try {
      return new ToolExecution(call, tool.handler.call(call.arguments()), false);
    } catch (BadArguments e) {
      return new ToolExecution(call, error(e.getMessage()), true);
    } catch (Unmappable e) {
      throw e.error;
    } catch (Exception e) {
      String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
          + e.getMessage();
      return new ToolExecution(call, error("Tool '" + call.name() + "' failed: " + what), true);
    }
  }

  private static String error(String message) {
    ObjectNode n = ToolJson.MAPPER.createObjectNode().put("error", message);
    return n.toString();
  }

  /** The arguments did not parse or did not match the schema; the message is for the model. */
  private static final class BadArguments extends Exception {
    private static final long serialVersionUID = 1L;

    BadArguments(String message) {
      super(message, null, false, false);
    }
  }

  /** The arguments' type cannot be built by Jackson: the application's mistake, so the loop stops. */
  private static final class Unmappable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ConfigurationException error;

    Unmappable(ConfigurationException error) {
      super(error.getMessage(), error, false, false);
      this.error = error;
    }
  }

  private static final class Registered {
    final ToolSpec spec;
    final ToolHandler handler;

    Registered(ToolSpec spec, ToolHandler handler) {
      this.spec = spec;
      this.handler = handler;
    }
  }

  private static <A> ToolHandler typed(String name, Class<A> type, ObjectNode schema, TypedToolHandler<A> fn) {
    return arguments -> {
      JsonNode tree;
      try {
        tree = ToolJson.MAPPER.readTree(arguments.trim().isEmpty() ? "{}" : arguments);
      } catch (JsonProcessingException e) {
        throw new BadArguments("The arguments for tool '" + name + "' are not valid JSON (" + e.getOriginalMessage()
            + "). Call it again with a JSON object matching its parameters schema.");
      }
      List<String> problems = SchemaValidator.validate(schema, tree);
      A args;
      try {
        if (!problems.isEmpty()) {
          throw new BadArguments("The arguments for tool '" + name + "' do not match its parameters schema: "
              + String.join("; ", problems) + ". Call it again with corrected arguments.");
        }
        args = ToolJson.MAPPER.treeToValue(tree, type);
      } catch (InvalidDefinitionException e) {
        throw new Unmappable(ToolJson.unmappable(type, e));
      } catch (JsonProcessingException e) {
        throw new BadArguments("The arguments for tool '" + name + "' could not be read: " + e.getOriginalMessage()
            + ". Call it again with corrected arguments.");
      }
      Object result = fn.call(args);
      return result instanceof String ? (String) result : ToolJson.MAPPER.writeValueAsString(result);
    };
  }

  /**
   * Collects the tools and settings of a {@link ToolLoop}. Not thread-safe.
   *
   * <pre>{@code
   * ToolLoop loop = ToolLoop.builder(model)
   *     .tool(Tools.spec("add", "Adds two numbers", AddArgs.class), json -> "{\"sum\": 3}")
   *     .executor(Executors.newFixedThreadPool(4))
   *     .maxSteps(8)
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final ChatModel model;
    private final Map<String, Registered> tools = new LinkedHashMap<>();
    private int maxSteps = 10;
    private Executor executor;

    private Builder(ChatModel model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Registers a tool with JSON in and text out.
     *
     * @throws IllegalArgumentException if a tool of that name was already registered
     */
    public Builder tool(ToolSpec spec, ToolHandler handler) {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(handler, "handler");
      if (tools.containsKey(spec.name())) {
        throw new IllegalArgumentException("A tool named '" + spec.name() + "' was already registered; tool names"
            + " must be unique.");
      }
      tools.put(spec.name(), new Registered(spec, handler));
      return this;
    }

    /**
     * Registers a tool whose arguments are a record or class: its schema comes from
     * {@link JsonSchemas#of}, the model's arguments are checked against it and mapped to
     * {@code argumentsType}, and the function's result is sent back as JSON.
     *
     * @throws IllegalArgumentException if the name is taken or invalid, or the type has no object schema
     */
    public <A> Builder tool(String name, String description, Class<A> argumentsType, TypedToolHandler<A> handler) {
      Objects.requireNonNull(handler, "handler");
      ToolSpec spec = Tools.spec(name, description, argumentsType);
      return tool(spec, typed(name, argumentsType, JsonSchemas.tree(spec.parametersSchema()), handler));
    }

    /**
     * The most model calls one run makes (default 10).
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxSteps(int maxSteps) {
      if (maxSteps < 1) {
        throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
      }
      this.maxSteps = maxSteps;
      return this;
    }

    /**
     * Runs the calls of one response concurrently on {@code executor} (by default they run one
     * after the other on the caller's thread). The tools must then be thread-safe.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * @throws IllegalStateException if no tool was registered
     */
    public ToolLoop build() {
      if (tools.isEmpty()) {
        throw new IllegalStateException("A tool loop needs at least one tool; register one with tool(...).");
      }
      return new ToolLoop(this);
    }
  }
}
