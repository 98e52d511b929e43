package dev.banter.cli.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux's {@code /proc} says about this process and the machine; -1 where there is no such file. */
final class SystemFigures {
  private SystemFigures() {}

  /** The process's memory after a garbage collection, in MiB. */
  static Bench.Memory memory() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return new Bench.Memory(procStatusMb("VmRSS"), procStatusMb("RssAnon"), procStatusMb("RssFile"),
        (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0), rt.maxMemory() / (1024.0 * 1024.0));
  }

  /** The one-minute load average from {@code /proc/loadavg}. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII)
          .trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** A line of {@code /proc/self/status} such as {@code VmRSS:  123 kB}, in MiB. */
  private static double procStatusMb(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
