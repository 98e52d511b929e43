package dev.banter.template;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * C's {@code strftime} in the "C" locale, which is what Python's {@code strftime} and llama.cpp's
 * {@code strftime_now} produce for chat templates (for example {@code "%d %b %Y"} gives
 * {@code 26 Jul 2024}). Unknown directives are copied as they are, as glibc does.
 */
final class Strftime {
  private Strftime() {}

  static String format(String pattern, ZonedDateTime t) {
    StringBuilder sb = new StringBuilder(pattern.length() + 16);
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c != '%' || i + 1 >= pattern.length()) {
        sb.append(c);
        continue;
      }
      char d = pattern.charAt(++i);
      switch (d) {
        case 'a':
          sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
          break;
        case 'A':
          sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
          break;
        case 'b':
        case 'h':
          sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
          break;
        case 'B':
          sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
          break;
        case 'c':
          sb.append(format("%a %b %e %H:%M:%S %Y", t));
          break;
        case 'C':
          two(sb, Math.floorDiv(t.getYear(), 100));
          break;
        case 'd':
          two(sb, t.getDayOfMonth());
          break;
        case 'D':
          sb.append(format("%m/%d/%y", t));
          break;
        case 'e':
          spaced(sb, t.getDayOfMonth());
          break;
        case 'F':
          sb.append(format("%Y-%m-%d", t));
          break;
        case 'g':
          two(sb, Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100));
          break;
        case 'G':
          sb.append(t.get(IsoFields.WEEK_BASED_YEAR));
          break;
        case 'H':
          two(sb, t.getHour());
          break;
        case 'I':
          two(sb, twelveHour(t));
          break;
        case 'j': {
          int day = t.getDayOfYear();
          sb.append(day < 10 ? "00" : day < 100 ? "0" : "").append(day);
          break;
        }
        case 'k':
          spaced(sb, t.getHour());
          break;
        case 'l':
          spaced(sb, twelveHour(t));
          break;
        case 'm':
          two(sb, t.getMonthValue());
          break;
        case 'M':
          two(sb, t.getMinute());
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'p':
          sb.append(t.getHour() < 12 ? "AM" : "PM");
          break;
        case 'P':
          sb.append(t.getHour() < 12 ? "am" : "pm");
          break;
        case 'r':
          sb.append(format("%I:%M:%S %p", t));
          break;
        case 'R':
          sb.append(format("%H:%M", t));
          break;
        case 's':
          sb.append(t.toEpochSecond());
          break;
        case 'S':
          two(sb, t.getSecond());
          break;
        case 't':
          sb.append('\t');
          break;
        case 'T':
          sb.append(format("%H:%M:%S", t));
          break;
        case 'u':
          sb.append(t.getDayOfWeek().getValue());
          break;
        case 'U':
          two(sb, (t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7);
          break;
        case 'V':
          two(sb, t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
          break;
        case 'w':
          sb.append(t.getDayOfWeek().getValue() % 7);
          break;
        case 'W':
          two(sb, (t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7);
          break;
        case 'x':
          sb.append(format("%m/%d/%y", t));
          break;
        case 'X':
          sb.append(format("%H:%M:%S", t));
          break;
        case 'y':
          two(sb, Math.floorMod(t.getYear(), 100));
          break;
        case 'Y':
          sb.append(t.getYear());
          break;
        case 'z': {
          int seconds = t.getOffset().getTotalSeconds();
          sb.append(seconds < 0 ? '-' : '+');
          seconds = Math.abs(seconds);
          two(sb, seconds / 3600);
          two(sb, seconds / 60 % 60);
          break;
        }
        case 'Z':
          sb.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.US));
          break;
        case '%':
          sb.append('%');
          break;
        default:
          sb.append('%').append(d);
          break;
      }
    }
    return sb.toString();
  }

  private static int twelveHour(ZonedDateTime t) {
    return t.get(ChronoField.CLOCK_HOUR_OF_AMPM);
  }

  private static void two(StringBuilder sb, int v) {
    if (v < 10 && v >= 0) {
      sb.append('0');
    }
    sb.append(v);
  }

  private static void spaced(StringBuilder sb, int v) {
    if (v < 10 && v >= 0) {
      sb.append(' ');
    }
    sb.append(v);
  }
}
