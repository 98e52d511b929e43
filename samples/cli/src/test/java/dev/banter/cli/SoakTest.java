package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17's soak: a few hundred mixed requests against {@code banter serve} on the demo model —
 * whole and streamed answers, clients that disconnect mid-stream or abort before the answer,
 * malformed bodies, a null tool call, clients dribbling their headers, idle connections, streams
 * nobody reads — from eight clients on 127.0.0.1 over raw sockets. Afterwards every slot is free,
 * the threads and file descriptors are back to where they were after a warm-up, and a normal
 * request answers promptly. Prints one summary line (the {@code SOAK:} line in the build log).
 */
@Timeout(300)
class SoakTest {
  private static final int CLIENTS = 8;
  private static final int REQUESTS = 320;
  private static final String CHAT = "{\"max_tokens\":%d,\"seed\":%d,%s\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";
  private static final String[] QUESTIONS = {"Tell me a joke.", "Hi", "Tell me a story about a cat.",
      "What is the weather like?", "Say something witty."};
  private static final Pattern GAUGE = Pattern.compile("(?m)^(banter_[a-z_]+) (\\S+)$");

  @TempDir
  Path home;

  private int port;

  /** What happened to one request, as the client saw it. */
  private enum Outcome {
    ANSWERED, STREAMED, DISCONNECTED, ABORTED, MALFORMED_400, NULL_TOOL_CALL_400, SLOW_HEADERS_CLOSED,
    IDLE_CLOSED, UNREAD_STREAM, BUSY_429, UNEXPECTED
  }

  @Test
  void hundreds_of_mixed_and_abusive_requests_leave_no_slot_thread_or_descriptor_behind() throws Exception {
    Served served = Served.start(home, "-q", "--set", "slots=2", "--max-concurrent", "16",
        "--header-timeout", "1s", "--idle-timeout", "2s", "--body-timeout", "2s", "--set", "stall-limit=3s");
    try {
      port = served.port;
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS * 2);
      try {
        List<Future<Outcome>> warm = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          int n = i;
          warm.add(clients.submit(() -> n % 2 == 0 ? answer(n) : stream(n)));
        }
        for (Future<Outcome> f : warm) {
          f.get(120, TimeUnit.SECONDS);
        }
        settle();
        java.util.Set<String> namesBefore = threadNames();
        int threadsBefore = threads();
        long fdsBefore = descriptors();

        Map<Outcome, LongAdder> outcomes = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          workers.add(clients.submit(() -> {
            for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
              outcomes.computeIfAbsent(one(i), k -> new LongAdder()).increment();
            }
            return null;
          }));
        }
        for (Future<?> w : workers) {
          w.get(240, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Double> gauges = settle();
        int threadsAfter = waitFor(() -> threads(), threadsBefore);
        long vertxWorkers = Thread.getAllStackTraces().keySet().stream().filter(SoakTest::isVertxWorker).count();
        long fdsAfter = waitFor(() -> (int) descriptors(), (int) fdsBefore);
        long t0 = System.nanoTime();
        Outcome prompt = answer(7);
        long promptMillis = (System.nanoTime() - t0) / 1_000_000;

        java.util.Set<String> extra = threadNames();
        extra.removeAll(namesBefore);
        Map<Outcome, Long> counts = new TreeMap<>();
        outcomes.forEach((k, v) -> counts.put(k, v.sum()));
        System.out.printf("SOAK: %d requests in %.1f s %s; slots busy %.0f of %.0f, queued %.0f, in flight %.0f;"
                + " threads %d -> %d (and Vert.x's worker pool %d of 20), descriptors %d -> %d;"
                + " then a normal request answered in %d ms%n",
            REQUESTS, seconds, counts, gauges.get("banter_slots_busy"), gauges.get("banter_slots_total"),
            gauges.get("banter_queue_depth"), gauges.get("banter_requests_in_flight"), threadsBefore, threadsAfter,
            vertxWorkers, fdsBefore, fdsAfter, promptMillis);

        assertEquals(REQUESTS, counts.values().stream().mapToLong(Long::longValue).sum());
        assertEquals(null, counts.get(Outcome.UNEXPECTED), "every request got the answer its kind calls for: " + counts);
        assertEquals(0.0, gauges.get("banter_slots_busy"), "every slot is free");
        assertEquals(0.0, gauges.get("banter_queue_depth"));
        assertEquals(0.0, gauges.get("banter_requests_in_flight"));
        assertTrue(threadsAfter <= threadsBefore, "threads back to baseline: " + threadsBefore + " -> " + threadsAfter
            + "; new: " + extra);
        assertTrue(vertxWorkers <= 20, "Vert.x's worker pool stays within its 20 threads: " + vertxWorkers);
        assertTrue(fdsBefore < 0 || fdsAfter <= fdsBefore,
            "descriptors back to baseline: " + fdsBefore + " -> " + fdsAfter);
        assertEquals(Outcome.ANSWERED, prompt);
        assertTrue(promptMillis < 10_000, "a normal request answers promptly after the soak: " + promptMillis + " ms");
      } finally {
        clients.shutdownNow();
      }
    } finally {
      served.close();
    }
  }

  private Outcome one(int i) {
    try {
      return switch (i % 9) {
        case 0, 1 -> answer(i);
        case 2 -> stream(i);
        case 3 -> disconnectMidStream(i);
        case 4 -> abortBeforeAnswer(i);
        case 5 -> rawStatus(body("{\"messages\":[{\"role\":\"user\",\"content\":"), 400, Outcome.MALFORMED_400);
        case 6 -> rawStatus(body("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\","
            + "\"content\":null,\"tool_calls\":[null]},{\"role\":\"user\",\"content\":\"and?\"}]}"), 400,
            Outcome.NULL_TOOL_CALL_400);
        case 7 -> i % 2 == 0 ? slowHeaders() : idle();
        default -> unreadStream(i);
      };
    } catch (IOException | RuntimeException e) {
      System.out.println("soak request " + i + " failed: " + e);
      return Outcome.UNEXPECTED;
    }
  }

  // ---------------------------------------------------------------- the kinds of client

  private static String chat(int i, boolean stream, int maxTokens) {
    return String.format(CHAT, maxTokens, i, stream ? "\"stream\":true," : "", QUESTIONS[i % QUESTIONS.length]);
  }

  private static byte[] body(String json) {
    return ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Connection: close\r\nContent-Length: " + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json)
        .getBytes(StandardCharsets.UTF_8);
  }

  private Socket open() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(60_000);
    return s;
  }

  private Outcome answer(int i) throws IOException {
    String r = exchange(body(chat(i, false, 12)));
    return status(r) == 429 ? Outcome.BUSY_429
        : status(r) == 200 && r.contains("\"chat.completion\"") ? Outcome.ANSWERED : unexpected("answer", r);
  }

  private Outcome stream(int i) throws IOException {
    String r = exchange(body(chat(i, true, 16)));
    return status(r) == 429 ? Outcome.BUSY_429
        : status(r) == 200 && r.contains("data: [DONE]") ? Outcome.STREAMED : unexpected("stream", r);
  }

  private Outcome rawStatus(byte[] request, int expected, Outcome outcome) throws IOException {
    String r = exchange(request);
    return status(r) == expected ? outcome : status(r) == 429 ? Outcome.BUSY_429 : unexpected(outcome.name(), r);
  }

  private Outcome disconnectMidStream(int i) throws IOException {
    try (Socket s = open()) {
      s.getOutputStream().write(body(chat(i, true, 200)));
      String head = readUntil(s.getInputStream(), "data: {");
      return status(head) == 429 ? Outcome.BUSY_429
          : status(head) == 200 ? Outcome.DISCONNECTED : unexpected("disconnect", head);
    }
  }

  private Outcome abortBeforeAnswer(int i) throws IOException {
    try (Socket s = open()) {
      s.getOutputStream().write(body(chat(i, false, 200)));
      s.getOutputStream().flush();
      sleep(30);
    }
    return Outcome.ABORTED;
  }

  /** A slowloris: the request line and then a header byte every 300 ms, for ever. */
  private Outcome slowHeaders() throws IOException {
    try (Socket s = open()) {
      s.setSoTimeout(100);
      OutputStream out = s.getOutputStream();
      out.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        try {
          out.write('a');
          out.flush();
          if (s.getInputStream().read() < 0) {
            return Outcome.SLOW_HEADERS_CLOSED;
          }
        } catch (SocketTimeoutException stillOpen) {
          sleep(200);
        } catch (IOException closed) {
          return Outcome.SLOW_HEADERS_CLOSED;
        }
      }
      return unexpected("slow headers", "still open after 10 s");
    }
  }

  private Outcome idle() throws IOException {
    try (Socket s = open()) {
      s.setSoTimeout(10_000);
      try {
        return s.getInputStream().read() < 0 ? Outcome.IDLE_CLOSED : unexpected("idle", "the server sent something");
      } catch (SocketTimeoutException e) {
        return unexpected("idle", "still open after 10 s");
      } catch (IOException reset) {
        return Outcome.IDLE_CLOSED;
      }
    }
  }

  /** A stream whose client reads nothing for a second and then goes. */
  private Outcome unreadStream(int i) throws IOException {
    try (Socket s = open()) {
      s.getOutputStream().write(body(chat(i, true, 64)));
      s.getOutputStream().flush();
      sleep(1000);
    }
    return Outcome.UNREAD_STREAM;
  }

  // ---------------------------------------------------------------- plumbing

  private String exchange(byte[] request) throws IOException {
    try (Socket s = open()) {
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String readUntil(InputStream in, String marker) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] buf = new byte[512];
    int n;
    while ((n = in.read(buf)) > 0) {
      seen.write(buf, 0, n);
      String text = seen.toString(StandardCharsets.UTF_8);
      if (text.contains(marker) || (text.startsWith("HTTP/1.1 ") && !text.startsWith("HTTP/1.1 200"))) {
        return text;
      }
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  private static int status(String response) {
    return response.startsWith("HTTP/1.1 ") && response.length() >= 12
        ? Integer.parseInt(response.substring(9, 12)) : -1;
  }

  private static Outcome unexpected(String kind, String response) {
    System.out.println("soak: unexpected " + kind + ": " + response.substring(0, Math.min(300, response.length())));
    return Outcome.UNEXPECTED;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the server is idle: nothing in flight, no slot busy, nothing queued. Returns its gauges. */
  private Map<String, Double> settle() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Map<String, Double> gauges;
    do {
      sleep(100);
      gauges = new TreeMap<>();
      String r = exchange(("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      Matcher m = GAUGE.matcher(r);
      while (m.find()) {
        gauges.put(m.group(1), Double.parseDouble(m.group(2)));
      }
    } while ((gauges.getOrDefault("banter_requests_in_flight", 1.0) > 0 || gauges.getOrDefault("banter_slots_busy", 1.0) > 0
        || gauges.getOrDefault("banter_queue_depth", 1.0) > 0) && System.nanoTime() < deadline);
    return gauges;
  }

  /** Polls {@code count} for up to 40 s (past the pools' keep-alive of 30 s) until it is at most {@code limit}; returns the last value. */
  private static int waitFor(java.util.function.IntSupplier count, int limit) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    int n = count.getAsInt();
    while (n > limit && System.nanoTime() < deadline) {
      sleep(200);
      n = count.getAsInt();
    }
    return n;
  }

  private static java.util.Set<String> threadNames() {
    java.util.Set<String> names = new java.util.TreeSet<>();
    Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName() + "#" + t.getId()));
    return names;
  }

  /**
   * Live threads, leaving out Vert.x's worker pool: a fixed pool of 20 that fills lazily and never
   * shrinks, so its growth is warm-up, not a leak (it is checked against its bound instead).
   */
  private static int threads() {
    return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> !isVertxWorker(t)).count();
  }

  private static boolean isVertxWorker(Thread t) {
    return t.getName().startsWith("vert.x-worker-thread-");
  }

  /** Open file descriptors of this process (sockets included), or -1 where /proc is missing. */
  private static long descriptors() {
    Path fd = Paths.get("/proc/self/fd");
    if (!Files.isDirectory(fd)) {
      return -1;
    }
    try (Stream<Path> s = Files.list(fd)) {
      return s.count();
    } catch (IOException e) {
      return -1;
    }
  }
}
