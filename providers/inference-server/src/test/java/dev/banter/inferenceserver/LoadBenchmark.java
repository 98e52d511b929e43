package dev.banter.inferenceserver;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.openai.testing.MockServer;
import dev.banter.openai.testing.Reply;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load benchmark (not a test): rounds of 200 concurrent streaming requests through the
 * inference-server backend against the local mock server, each answer 50 tokens sent 2 ms
 * apart. Checks that every token of every answer arrives, in order, and reports requests per
 * second, time to first token (p50, p99) and the peak thread count. Run with
 * <pre>
 * ./mvnw -q -B -o -pl providers/inference-server test-compile exec:java \
 *   -Dexec.mainClass=dev.banter.inferenceserver.LoadBenchmark -Dexec.classpathScope=test
 * </pre>
 * Arguments (optional): concurrency, rounds, tokens per answer.
 */
public final class LoadBenchmark {
  private LoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 50;

    StringBuilder transcript = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    transcript.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n");
    for (int i = 0; i < tokens; i++) {
      String t = "t" + i + " ";
      expected.append(t);
      transcript.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(t).append("\"}}]}\n\n");
    }
    transcript.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")
        .append("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":").append(tokens)
        .append(",\"total_tokens\":").append(tokens + 5).append("}}\n\n")
        .append("data: [DONE]\n\n");
    String want = expected.toString();

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (MockServer server = MockServer.start()) {
      server.on("/v1/chat/completions", Reply.eventByEvent(transcript.toString(), 2));
      Backend backend = new InferenceServerProvider().create(BackendConfig.builder("inference-server")
          .set("base-url", server.baseUrl()).set("model", "bench").set("health-interval", "0")
          .set("max-connections", Integer.toString(concurrency)).set("event-loops", "2")
          .environment(n -> null).build());
      try {
        for (int w = 0; w < 3; w++) {
          run(backend, concurrency, -1, want, tokens); // warm-up: connections opened, code compiled
        }
        threads.resetPeakThreadCount();
        int before = threads.getThreadCount();
        long start = System.nanoTime();
        long[] ttft = new long[concurrency * rounds];
        int failures = 0;
        for (int r = 0; r < rounds; r++) {
          long[] t = run(backend, concurrency, r, want, tokens);
          for (int i = 0; i < t.length; i++) {
            if (t[i] < 0) {
              failures++;
            }
            ttft[r * concurrency + i] = t[i];
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] ok = Arrays.stream(ttft).filter(v -> v >= 0).sorted().toArray();
        System.out.printf(Locale.ROOT, "requests: %d (%d concurrent x %d rounds), %d tokens each, failures: %d%n",
            concurrency * rounds, concurrency, rounds, tokens, failures);
        System.out.printf(Locale.ROOT, "throughput: %.1f requests/s, %.0f tokens/s%n",
            concurrency * rounds / seconds, (double) concurrency * rounds * tokens / seconds);
        System.out.printf(Locale.ROOT, "time to first token: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            pct(ok, 0.50), pct(ok, 0.99), ok.length == 0 ? 0 : ok[ok.length - 1] / 1e6);
        System.out.printf(Locale.ROOT, "threads: %d before, peak %d during (JVM-wide, including the mock server)%n",
            before, threads.getPeakThreadCount());
        if (failures > 0) {
          System.exit(1);
        }
      } finally {
        backend.close();
      }
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  /** One round: n streams at once; the time to first token of each in ns, or -1 for a failure. */
  private static long[] run(Backend backend, int n, int round, String want, int tokens) throws InterruptedException {
    long[] ttft = new long[n];
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger wrong = new AtomicInteger();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      long start = System.nanoTime();
      StringBuilder text = new StringBuilder();
      backend.stream(ChatRequest.of("request " + round + "/" + i)).subscribe(new ChatListener() {
        @Override
        public void onChunk(ChatChunk chunk) {
          if (text.length() == 0 && !chunk.text().isEmpty()) {
            ttft[k] = System.nanoTime() - start;
          }
          text.append(chunk.text());
        }

        @Override
        public void onComplete(ChatResponse response) {
          if (!text.toString().equals(want) || !response.text().equals(want)
              || response.usage().orElseThrow().completionTokens() != tokens) {
            wrong.incrementAndGet();
            ttft[k] = -1;
          }
          done.countDown();
        }

        @Override
        public void onError(BanterException error) {
          synchronized (errors) {
            errors.add(error.getMessage());
          }
          ttft[k] = -1;
          done.countDown();
        }
      });
    }
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("round " + round + " did not finish in 120 s");
    }
    if (!errors.isEmpty() || wrong.get() > 0) {
      System.out.println("round " + round + ": " + errors.size() + " errors, " + wrong.get() + " wrong answers"
          + (errors.isEmpty() ? "" : "; first: " + errors.get(0)));
    }
    return ttft;
  }
}
