package dev.banter.local.chat;

/** {@code String.strip} and friends, which Android's API 26 lacks. */
final class Texts {
  private Texts() {}

  static String strip(String s) {
    return stripTrailing(stripLeading(s));
  }

  static String stripLeading(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  static String stripTrailing(String s) {
    int n = s.length();
    while (n > 0 && Character.isWhitespace(s.charAt(n - 1))) {
      n--;
    }
    return s.substring(0, n);
  }

  static boolean isBlank(String s) {
    return stripLeading(s).isEmpty();
  }
}
