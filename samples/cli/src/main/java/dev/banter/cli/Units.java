package dev.banter.cli;

import dev.banter.spi.BackendConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Command-line values with units: durations ({@code 500ms}, {@code 30s}, {@code 2m}) and sizes ({@code 4MiB}). */
final class Units {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  private Units() {}

  /** A duration in the grammar of every Banter setting ({@link BackendConfig#parseDuration}). */
  static Duration duration(String text) {
    try {
      return BackendConfig.parseDuration(text);
    } catch (RuntimeException e) {
      throw new TypeConversionException("'" + text + "' is not a duration; write for example 500ms, 30s, 2m or 1h");
    }
  }

  static long bytes(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException("'" + text + "' is not a size; write for example 65536, 512KiB or 4MiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    int shift = unit.startsWith("k") ? 10 : unit.startsWith("m") ? 20 : unit.startsWith("g") ? 30 : 0;
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new TypeConversionException("'" + text + "' is too large");
    }
    return n << shift;
  }

  /** A file size for people: 7.0 MB, 812 KB, 4.1 GB (decimal units). */
  static String human(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = bytes;
    int i = -1;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[i]);
  }

  /** Converts {@code --grace 30s}-style options. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value);
    }
  }

  /** Converts {@code --max-body 4MiB}-style options. */
  static final class ByteSizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return bytes(value);
    }
  }
}
