package dev.banter.cli.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.AuthenticationException;
import dev.banter.api.BackendUnavailableException;
import dev.banter.api.GenerationTimeoutException;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.ProtocolException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A bounded load on any OpenAI-compatible server (Banter's {@code banter serve}, llama.cpp's
 * {@code llama-server}, vLLM): rounds of {@code requests} simultaneous streamed chat completions,
 * each a prompt of about {@code promptTokens} words and {@code genTokens} greedy tokens, measured
 * at the client the way {@link Bench#concurrency} measures the local backend, so the two servers'
 * figures can stand side by side. Each round must finish within {@code timeout}; the requests ask
 * the server to ignore end-of-generation ({@code ignore_eos}, llama.cpp's extension) so that every
 * answer has its full length where the server allows it, and the token count is the server's own
 * ({@code usage.completion_tokens}) or else the number of content deltas. It is a client of its
 * own, not the inference-server backend, so that nothing stands between the measurement and the
 * server (no retries, health checks or breakers) and it can ask for llama.cpp's {@code ignore_eos}.
 *
 * <pre>{@code
 * ServerLoad.Result r = ServerLoad.run(ServerLoad.Settings.of(URI.create("http://127.0.0.1:8080/v1"), 4));
 * System.out.println(r.aggregateDecodeTps() + " tokens/s for " + r.requests() + " clients");
 * }</pre>
 */
public final class ServerLoad {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BACKEND = "server";
  private static final int MAX_ERROR_BODY = 2000;

  private ServerLoad() {}

  /**
   * What to send: {@code baseUrl} ends in {@code /v1}; {@code model} null asks the server's first
   * listed model; {@code apiKey} null sends no key; one warm-up round precedes the measured runs.
   */
  public record Settings(URI baseUrl, String model, String apiKey, int requests, int promptTokens, int genTokens,
      int runs, Duration timeout, long seed) {
    public Settings {
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(timeout, "timeout");
      String scheme = baseUrl.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException("the server URL must start with http:// or https://, got " + baseUrl);
      }
      check("concurrency", requests, 1, 64);
      check("prompt tokens", promptTokens, 1, 1 << 16);
      check("generated tokens", genTokens, 1, 1 << 16);
      check("runs", runs, 1, 1000);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
      }
    }

    /** {@code requests} clients, 16-word prompts, 24 tokens each, 3 runs, 5 minutes per round. */
    public static Settings of(URI baseUrl, int requests) {
      return new Settings(baseUrl, null, null, requests, 16, 24, 3, Duration.ofMinutes(5), 1);
    }

    private static void check(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
      }
    }
  }

  /**
   * The measured runs: per run the aggregate rate (all requests' tokens after each one's first, per
   * second from the earliest first token to the last token of all), and every request's own rate,
   * time to first token and token count.
   */
  public record Result(String url, String model, int requests, int promptTokens, int genTokens, double loadAverage,
      double[] aggregateDecodeTpsRuns, double[] requestDecodeTps, double[] ttftMs, int[] completionTokens) {
    public double aggregateDecodeTps() {
      return Bench.median(aggregateDecodeTpsRuns);
    }

    /** The median of every request's own generation rate, all runs together. */
    public double decodeTps() {
      return Bench.median(requestDecodeTps);
    }

    public double ttftMedianMs() {
      return Bench.median(ttftMs);
    }
  }

  /**
   * Runs the warm-up round and the measured ones.
   *
   * @throws BackendUnavailableException if the server cannot be reached or answers with an error
   * @throws AuthenticationException if it refuses the key
   * @throws InvalidRequestException if it refuses the request as malformed
   * @throws GenerationTimeoutException if a round does not finish within the timeout
   * @throws ProtocolException if a stream is not the OpenAI chat-completion stream
   */
  public static Result run(Settings s) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1).build();
    String model = s.model() != null ? s.model() : firstModel(http, s);
    ExecutorService pool = Executors.newFixedThreadPool(s.requests(), r -> {
      Thread t = new Thread(r, "banter-load");
      t.setDaemon(true);
      return t;
    });
    try {
      round(http, pool, s, model, new Random(s.seed() - 1));
      double load = SystemFigures.loadAverage();
      double[] aggregate = new double[s.runs()];
      double[] perRequest = new double[s.runs() * s.requests()];
      double[] ttft = new double[s.runs() * s.requests()];
      int[] tokens = new int[s.runs() * s.requests()];
      Random words = new Random(s.seed());
      for (int r = 0; r < s.runs(); r++) {
        Stream[] streams = round(http, pool, s, model, words);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long generated = 0;
        for (int i = 0; i < streams.length; i++) {
          Stream st = streams[i];
          int at = r * s.requests() + i;
          first = Math.min(first, st.firstToken);
          last = Math.max(last, st.lastToken);
          generated += st.tokens() - 1;
          tokens[at] = st.tokens();
          ttft[at] = (st.firstToken - st.start) / 1e6;
          perRequest[at] = st.tokens() > 1 ? (st.tokens() - 1) / ((st.lastToken - st.firstToken) / 1e9) : 0;
        }
        aggregate[r] = generated / (Math.max(1, last - first) / 1e9);
      }
      return new Result(s.baseUrl().toString(), model, s.requests(), s.promptTokens(), s.genTokens(), load, aggregate,
          perRequest, ttft, tokens);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One request's stream as the client saw it; times from {@link System#nanoTime()}. */
  private static final class Stream {
    long start;
    long firstToken;
    long lastToken;
    int deltas;
    int usageTokens = -1;
    volatile InputStream body;

    int tokens() {
      return usageTokens > 0 ? usageTokens : deltas;
    }
  }

  private static Stream[] round(HttpClient http, ExecutorService pool, Settings s, String model, Random words) {
    Stream[] streams = new Stream[s.requests()];
    List<Future<?>> futures = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < streams.length; i++) {
      Stream st = new Stream();
      streams[i] = st;
      HttpRequest request = request(s, "/chat/completions").header("Content-Type", "application/json")
          .header("Accept", "text/event-stream")
          .POST(HttpRequest.BodyPublishers.ofString(body(s, model, Bench.userMessage(words, s.promptTokens()))))
          .build();
      futures.add(pool.submit(() -> {
        go.await();
        st.start = System.nanoTime();
        stream(http, request, st);
        return null;
      }));
    }
    go.countDown();
    long deadline = System.nanoTime() + s.timeout().toNanos();
    try {
      for (Future<?> f : futures) {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      throw timedOut(s, streams, futures);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.forEach(f -> f.cancel(true));
      throw new IllegalStateException("interrupted while measuring", e);
    } catch (ExecutionException e) {
      // The request's own timeout (the same length) can fire before the round's: the same answer.
      if (e.getCause() instanceof HttpTimeoutException) {
        throw timedOut(s, streams, futures);
      }
      futures.forEach(f -> f.cancel(true));
      for (Stream st : streams) {
        close(st.body);
      }
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    }
    for (Stream st : streams) {
      if (st.deltas == 0) {
        throw new ProtocolException("the server at " + s.baseUrl() + " answered without any content; check that "
            + "the model generates text", BACKEND, null);
      }
    }
    return streams;
  }

  private static GenerationTimeoutException timedOut(Settings s, Stream[] streams, List<Future<?>> futures) {
    boolean anyToken = false;
    for (Stream st : streams) {
      anyToken |= st.deltas > 0;
      close(st.body);
    }
    futures.forEach(f -> f.cancel(true));
    return new GenerationTimeoutException("the server at " + s.baseUrl() + " did not finish " + s.requests()
        + " requests of " + s.genTokens() + " tokens within " + human(s.timeout()) + "; give a longer --timeout or fewer"
        + " tokens", BACKEND, anyToken ? GenerationTimeoutException.Phase.BETWEEN_TOKENS
            : GenerationTimeoutException.Phase.FIRST_TOKEN, s.timeout());
  }

  private static String body(Settings s, String model, String user) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", model);
    ArrayNode messages = b.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are Banter, a witty assistant.");
    messages.addObject().put("role", "user").put("content", user);
    b.put("max_tokens", s.genTokens());
    b.put("temperature", 0);
    b.put("seed", s.seed());
    b.put("stream", true);
    b.putObject("stream_options").put("include_usage", true);
    b.put("ignore_eos", true);
    return b.toString();
  }

  private static HttpRequest.Builder request(Settings s, String path) {
    String base = s.baseUrl().toString();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create((base.endsWith("/") ? base.substring(0,
        base.length() - 1) : base) + path)).timeout(s.timeout());
    if (s.apiKey() != null) {
      b.header("Authorization", "Bearer " + s.apiKey());
    }
    return b;
  }

  private static void stream(HttpClient http, HttpRequest request, Stream st) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = send(http, request, HttpResponse.BodyHandlers.ofInputStream());
    st.body = response.body();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      if (response.statusCode() != 200) {
        throw refused(request.uri(), response.statusCode(), readSome(in));
      }
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.startsWith("data:")) {
          continue;
        }
        String data = line.substring(5).trim();
        if (data.equals("[DONE]")) {
          break;
        }
        JsonNode chunk;
        try {
          chunk = JSON.readTree(data);
        } catch (IOException e) {
          throw new ProtocolException("the server at " + request.uri() + " sent an event that is not JSON: "
              + clip(data), BACKEND, e);
        }
        if (chunk.has("error")) {
          throw new BackendUnavailableException("the server at " + request.uri() + " failed mid-stream: "
              + clip(chunk.get("error").toString()), BACKEND, null);
        }
        JsonNode delta = chunk.path("choices").path(0).path("delta");
        if (!delta.path("content").asText("").isEmpty() || !delta.path("reasoning_content").asText("").isEmpty()) {
          long now = System.nanoTime();
          if (st.deltas++ == 0) {
            st.firstToken = now;
          }
          st.lastToken = now;
        }
        int used = chunk.path("usage").path("completion_tokens").asInt(-1);
        if (used > 0) {
          st.usageTokens = used;
        }
      }
    }
  }

  private static String firstModel(HttpClient http, Settings s) {
    HttpRequest request = request(s, "/models").GET().build();
    HttpResponse<String> response;
    try {
      response = send(http, request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unreachable(request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking for the models", e);
    }
    if (response.statusCode() != 200) {
      throw refused(request.uri(), response.statusCode(), response.body());
    }
    try {
      JsonNode id = JSON.readTree(response.body()).path("data").path(0).path("id");
      if (id.isTextual()) {
        return id.textValue();
      }
    } catch (IOException e) {
      // reported below
    }
    throw new ProtocolException("the server at " + request.uri() + " lists no model (" + clip(response.body())
        + "); name one with --served-model", BACKEND, null);
  }

  private static <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    try {
      return http.send(request, handler);
    } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
      throw unreachable(request.uri(), e);
    }
  }

  private static BackendUnavailableException unreachable(URI uri, IOException e) {
    return new BackendUnavailableException("cannot reach " + uri + " (" + e + "); is the server running?", BACKEND, e);
  }

  private static RuntimeException refused(URI uri, int status, String body) {
    String message = "the server at " + uri + " answered " + status + ": " + clip(body);
    return switch (status) {
      case 401, 403 -> new AuthenticationException(message + "; give its key with --api-key-env", BACKEND, null);
      case 400, 404, 422 -> new InvalidRequestException(message, BACKEND, null, null);
      default -> new BackendUnavailableException(message, BACKEND, null);
    };
  }

  private static String readSome(BufferedReader in) throws IOException {
    char[] buf = new char[MAX_ERROR_BODY];
    int n = in.read(buf);
    return n <= 0 ? "" : new String(buf, 0, n);
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long sec = ms / 1000;
    return sec % 60 == 0 ? sec / 60 + "m" : sec + "s";
  }

  private static String clip(String s) {
    String one = s.replace('\n', ' ').strip();
    return one.length() <= 300 ? one : one.substring(0, 300) + "...";
  }

  private static void close(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing only to end the exchange
      }
    }
  }
}
