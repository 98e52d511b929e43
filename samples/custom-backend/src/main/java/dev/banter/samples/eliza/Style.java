package dev.banter.samples.eliza;

import java.util.List;
import java.util.Locale;

/**
 * What ELIZA can honour of a persona: it reads the system prompt the way a person would, looking
 * for the style guidance Banter's personas carry ("Be funny", "Do not joke", "Keep answers
 * short", "Be blunt"). Immutable.
 */
final class Style {
  private static final List<String> QUIPS = List.of(
      "(I charge by the epiphany, by the way.)",
      "(Don't worry, I only remember things until the JVM exits.)",
      "(I've been doing this since 1966, and I still don't know what a feeling is.)");

  final boolean funny;
  final boolean terse;
  final boolean blunt;

  private Style(boolean funny, boolean terse, boolean blunt) {
    this.funny = funny;
    this.terse = terse;
    this.blunt = blunt;
  }

  static Style fromSystemPrompt(String system) {
    String s = system.toLowerCase(Locale.ROOT);
    boolean noJokes = s.contains("do not joke") || s.contains("no jokes");
    boolean funny = !noJokes && (s.contains("be funny") || s.contains("witty") || s.contains("humour")
        || s.contains("humor"));
    boolean terse = s.contains("short") || s.contains("concise") || s.contains("brief");
    boolean blunt = s.contains("blunt") || s.contains("candid");
    return new Style(funny, terse, blunt);
  }

  String apply(String answer, int choice) {
    String out = answer;
    if (blunt) {
      out = out.replace("Perhaps ", "").replace("perhaps ", "");
      out = Character.toUpperCase(out.charAt(0)) + out.substring(1);
    }
    if (terse) {
      int end = out.indexOf("? ");
      if (end > 0) {
        out = out.substring(0, end + 1);
      }
    }
    if (funny) {
      out = out + " " + QUIPS.get(Math.floorMod(choice, QUIPS.size()));
    }
    return out;
  }
}
