package dev.banter.openai;

import java.util.List;
import java.util.Map;

/** Writes metric families in the Prometheus text exposition format, version 0.0.4. */
final class PrometheusText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  static void gauge(StringBuilder out, String name, String help, double value) {
    header(out, name, help, "gauge");
    out.append(name).append(' ').append(number(value)).append('\n');
  }

  static void counter(StringBuilder out, String name, String help, double value) {
    header(out, name, help, "counter");
    out.append(name).append(' ').append(number(value)).append('\n');
  }

  /** A counter family with labels: one sample per combination of label values. */
  static void counter(StringBuilder out, String name, String help, List<String> labels,
      Map<List<String>, Long> values) {
    header(out, name, help, "counter");
    values.forEach((labelValues, count) -> {
      out.append(name).append('{');
      for (int i = 0; i < labels.size(); i++) {
        out.append(i == 0 ? "" : ",").append(labels.get(i)).append("=\"").append(escape(labelValues.get(i))).append('"');
      }
      out.append("} ").append(count).append('\n');
    });
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** A sample value: integers without a fraction, others in the shortest form that reads back. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** A label value with backslash, double quote and line feed escaped, as the format requires. */
  static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
