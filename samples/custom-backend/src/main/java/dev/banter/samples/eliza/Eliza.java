package dev.banter.samples.eliza;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Joseph Weizenbaum's ELIZA (1966), the DOCTOR script in spirit: the first rule whose pattern
 * matches the user's message picks an answer, and fragments of the message are reflected back
 * with the pronouns turned around. Stateless and thread-safe.
 */
final class Eliza {
  private static final Map<String, String> REFLECTIONS = Map.ofEntries(
      Map.entry("i", "you"), Map.entry("me", "you"), Map.entry("my", "your"), Map.entry("mine", "yours"),
      Map.entry("am", "are"), Map.entry("was", "were"), Map.entry("i'm", "you are"),
      Map.entry("i've", "you have"), Map.entry("i'll", "you will"), Map.entry("i'd", "you would"),
      Map.entry("myself", "yourself"), Map.entry("you", "I"), Map.entry("your", "my"),
      Map.entry("yours", "mine"), Map.entry("you're", "I am"), Map.entry("you've", "I have"),
      Map.entry("you'll", "I will"), Map.entry("yourself", "myself"), Map.entry("are", "am"));

  private static final List<Rule> RULES = List.of(
      new Rule("\\b(?:hello|hi|hey|greetings)\\b.*",
          "Hello. How are you feeling today?",
          "Hi there. What would you like to talk about?"),
      new Rule(".*\\bjoke\\b.*",
          "A joke? I would tell you one about UDP, but you might not get it. Why do you want to laugh today?",
          "Humour is a fine defence. What are you defending against?"),
      new Rule("i need (.*)",
          "Why do you need {1}?",
          "Would it really help you to get {1}?",
          "Are you sure you need {1}?"),
      new Rule("why don'?t you (.*)",
          "Do you really think I don't {1}?",
          "Perhaps eventually I will {1}."),
      new Rule("why can'?t i (.*)",
          "Do you think you should be able to {1}?",
          "If you could {1}, what would you do?"),
      new Rule("i can'?t (.*)",
          "How do you know you can't {1}?",
          "Perhaps you could {1} if you tried."),
      new Rule("i(?: a|')m (.*)",
          "How long have you been {1}?",
          "Did you come to me because you are {1}?",
          "How do you feel about being {1}?"),
      new Rule("are you (.*)",
          "Why does it matter whether I am {1}?",
          "Would you prefer it if I were not {1}?"),
      new Rule("i feel (.*)",
          "Tell me more about feeling {1}.",
          "Do you often feel {1}?",
          "When do you usually feel {1}?"),
      new Rule("i think (.*)",
          "Do you doubt {1}?",
          "Do you really think so?"),
      new Rule("because (.*)",
          "Is that the real reason?",
          "What other reasons come to mind?"),
      new Rule(".*\\bsorry\\b.*",
          "There are many times when no apology is needed.",
          "What feelings do you have when you apologise?"),
      new Rule(".*\\b(?:mother|father|mom|dad|sister|brother|family)\\b.*",
          "Tell me more about your family.",
          "How do you get along with your family?"),
      new Rule(".*\\b(?:computer|machine|robot|ai)\\b.*",
          "Are you really talking about me?",
          "Do machines worry you?"),
      new Rule("can you (.*)",
          "What makes you think I can't {1}?",
          "If I could {1}, then what?"),
      new Rule("(?:what|how|why|who|when|where)\\b(.*)",
          "Why do you ask?",
          "What answer would please you most?",
          "What do you think?"),
      new Rule("yes\\b.*",
          "You seem quite sure.",
          "OK, but can you elaborate a bit?"),
      new Rule("no\\b.*",
          "Why not?",
          "You are being a bit negative."),
      new Rule("(.*)\\?",
          "Why do you ask that?",
          "Perhaps the answer lies within yourself."),
      new Rule("(.*)",
          "Please tell me more.",
          "Can you elaborate on that?",
          "I see. And what does that tell you?",
          "How does that make you feel?"));

  private Eliza() {}

  /** The answer to {@code message}; {@code choice} picks among a rule's answers (any int). */
  static String answer(String message, int choice) {
    String text = message.trim().replaceAll("[.!]+$", "").replaceAll("\\s+", " ");
    for (Rule rule : RULES) {
      Matcher m = rule.pattern.matcher(text);
      if (m.matches()) {
        String answer = rule.answers.get(Math.floorMod(choice, rule.answers.size()));
        for (int g = 1; g <= m.groupCount(); g++) {
          answer = answer.replace("{" + g + "}", reflect(m.group(g) == null ? "" : m.group(g)));
        }
        return answer;
      }
    }
    return "Please go on.";
  }

  /** Turns pronouns around: "my code hates me" becomes "your code hates you". */
  static String reflect(String fragment) {
    String[] words = fragment.trim().split("\\s+");
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      if (w.isEmpty()) {
        continue;
      }
      String r = REFLECTIONS.get(w.toLowerCase(Locale.ROOT));
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(r != null ? r : w);
    }
    return sb.toString().replaceAll("[,;:]+$", "");
  }
}
