package dev.banter.template;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * C's {@code strftime} in the "C" locale, for the directives chat templates use: {@code %Y},
 * {@code %m}, {@code %d}, {@code %b} and {@code %B} (for example {@code "%d %b %Y"} gives
 * {@code 26 Jul 2024}). Any other directive fails, naming it.
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
        case 'Y' -> sb.append(t.getYear());
        case 'm' -> two(sb, t.getMonthValue());
        case 'd' -> two(sb, t.getDayOfMonth());
        case 'b' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
        case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
        default -> throw new EvalError("the strftime directive '%" + d + "' is not supported; chat templates use"
            + " %Y, %m, %d, %b and %B");
      }
    }
    return sb.toString();
  }

  private static void two(StringBuilder sb, int v) {
    if (v < 10) {
      sb.append('0');
    }
    sb.append(v);
  }
}
