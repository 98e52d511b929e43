package dev.banter.openai;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of seconds with fixed upper bounds: a count per bucket, the sum and the
 * count of observations. Recording is lock-free; a scrape may see an observation in the count but
 * not yet in the sum, which Prometheus tolerates. Thread-safe.
 */
final class Histogram {
  private final String name;
  private final String help;
  private final double[] bounds;
  private final LongAdder[] buckets;
  private final LongAdder count = new LongAdder();
  private final DoubleAdder sum = new DoubleAdder();

  Histogram(String name, String help, double... bounds) {
    for (int i = 1; i < bounds.length; i++) {
      if (!(bounds[i] > bounds[i - 1])) {
        throw new IllegalArgumentException("bucket bounds must increase: " + bounds[i - 1] + ", " + bounds[i]);
      }
    }
    this.name = name;
    this.help = help;
    this.bounds = bounds.clone();
    this.buckets = new LongAdder[bounds.length];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  void observe(double seconds) {
    for (int i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]) {
        buckets[i].increment();
        break;
      }
    }
    sum.add(seconds);
    count.increment();
  }

  void observeNanos(long nanos) {
    observe(nanos / 1e9);
  }

  long count() {
    return count.sum();
  }

  /** The histogram in the Prometheus text format: cumulative buckets, {@code +Inf}, sum and count. */
  void writeTo(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    long total = count.sum();
    long cumulative = 0;
    for (int i = 0; i < bounds.length; i++) {
      cumulative += buckets[i].sum();
      out.append(name).append("_bucket{le=\"").append(PrometheusText.number(bounds[i])).append("\"} ")
          .append(Math.min(cumulative, total)).append('\n');
    }
    out.append(name).append("_bucket{le=\"+Inf\"} ").append(total).append('\n');
    out.append(name).append("_sum ").append(PrometheusText.number(sum.sum())).append('\n');
    out.append(name).append("_count ").append(total).append('\n');
  }
}
