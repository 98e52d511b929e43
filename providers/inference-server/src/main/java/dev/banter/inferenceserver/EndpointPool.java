package dev.banter.inferenceserver;

import dev.banter.openai.Endpoint;
import dev.banter.openai.EndpointSelector;
import dev.banter.openai.OpenAiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The inference servers of one backend: each request goes to the healthy endpoint with the
 * fewest requests outstanding (ties broken round-robin). An endpoint leaves the rotation when a
 * request cannot reach it or when its periodic health check fails, and comes back when a health
 * check succeeds. When no endpoint is healthy, the unhealthy ones are still tried (a stale mark
 * must not turn into an outage). Thread-safe.
 */
final class EndpointPool implements EndpointSelector {
  private static final Logger LOG = Logger.getLogger(EndpointPool.class.getName());

  private final String backendId;
  private final List<Member> members;
  private final List<Endpoint> endpoints;
  private final AtomicInteger rotor = new AtomicInteger();
  private volatile long timerId = -1;
  private volatile OpenAiClient client;
  private volatile boolean checking;

  /** One endpoint and what the pool knows of it. */
  static final class Member {
    final Endpoint endpoint;
    final AtomicInteger outstanding = new AtomicInteger();
    final AtomicBoolean probing = new AtomicBoolean();
    volatile boolean healthy = true;

    Member(Endpoint endpoint) {
      this.endpoint = endpoint;
    }
  }

  EndpointPool(String backendId, List<Endpoint> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("an endpoint pool needs at least one endpoint");
    }
    this.backendId = backendId;
    List<Member> m = new ArrayList<>();
    for (Endpoint e : endpoints) {
      m.add(new Member(e));
    }
    this.members = Collections.unmodifiableList(m);
    this.endpoints = Collections.unmodifiableList(new ArrayList<>(endpoints));
  }

  @Override
  public Optional<Endpoint> acquire(Set<Endpoint> tried) {
    Member best = pick(tried, true);
    if (best == null) {
      best = pick(tried, false);
    }
    if (best == null) {
      return Optional.empty();
    }
    best.outstanding.incrementAndGet();
    return Optional.of(best.endpoint);
  }

  private Member pick(Set<Endpoint> tried, boolean healthyOnly) {
    int n = members.size();
    int start = Math.floorMod(rotor.getAndIncrement(), n);
    Member best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      Member m = members.get((start + i) % n);
      if (tried.contains(m.endpoint) || (healthyOnly && !m.healthy)) {
        continue;
      }
      int load = m.outstanding.get();
      if (load < bestLoad) {
        best = m;
        bestLoad = load;
      }
    }
    return best;
  }

  @Override
  public void release(Endpoint endpoint, boolean reachable) {
    Member m = member(endpoint);
    if (m == null) {
      return;
    }
    m.outstanding.decrementAndGet();
    if (!reachable && checking) {
      mark(m, false, "a request could not reach it");
    }
  }

  @Override
  public List<Endpoint> all() {
    return endpoints;
  }

  /** Whether the pool currently sends requests to {@code endpoint}. */
  boolean isHealthy(Endpoint endpoint) {
    Member m = member(endpoint);
    return m != null && m.healthy;
  }

  /** Requests in flight on {@code endpoint}. */
  int outstanding(Endpoint endpoint) {
    Member m = member(endpoint);
    return m == null ? 0 : m.outstanding.get();
  }

  private Member member(Endpoint endpoint) {
    for (Member m : members) {
      if (m.endpoint.equals(endpoint)) {
        return m;
      }
    }
    return null;
  }

  private void mark(Member m, boolean healthy, String why) {
    if (m.healthy == healthy) {
      return;
    }
    m.healthy = healthy;
    if (healthy) {
      LOG.log(Level.INFO, () -> "backend " + backendId + ": endpoint " + m.endpoint + " is back (" + why + ")");
    } else {
      LOG.log(Level.WARNING, () -> "backend " + backendId + ": endpoint " + m.endpoint + " taken out (" + why
          + "); requests go to the other endpoints until a health check succeeds");
    }
  }

  /**
   * Probes every endpoint now and then every {@code interval} with {@code client}, until
   * {@link #stop()}. A zero interval turns health checks off; then nothing would bring an
   * endpoint back, so failed requests do not take endpoints out either.
   */
  void start(OpenAiClient client, Duration interval, Duration timeout) {
    this.client = client;
    if (interval.isZero()) {
      return;
    }
    checking = true;
    checkAll(timeout);
    timerId = client.vertx().setPeriodic(Math.max(10, interval.toMillis()), id -> checkAll(timeout));
  }

  private void checkAll(Duration timeout) {
    OpenAiClient c = client;
    for (Member m : members) {
      if (!m.probing.compareAndSet(false, true)) {
        continue;
      }
      c.probe(m.endpoint, timeout).whenComplete((ok, error) -> {
        m.probing.set(false);
        mark(m, Boolean.TRUE.equals(ok), Boolean.TRUE.equals(ok) ? "health check succeeded" : "health check failed");
      });
    }
  }

  void stop() {
    checking = false;
    long id = timerId;
    OpenAiClient c = client;
    if (id >= 0 && c != null) {
      c.vertx().cancelTimer(id);
      timerId = -1;
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (Member m : members) {
      sb.append(sb.length() == 1 ? "" : ", ").append(m.endpoint).append(m.healthy ? "" : " (down)");
    }
    return sb.append(']').toString();
  }
}
