package dev.banter.samples.eliza;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One ELIZA rule: a pattern matched against the user's words and the answers to choose from.
 * In an answer, {@code {1}}, {@code {2}}... stand for the pattern's groups, with pronouns turned
 * around ("my code" becomes "your code").
 */
final class Rule {
  final Pattern pattern;
  final List<String> answers;

  Rule(String regex, String... answers) {
    this.pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    this.answers = List.of(answers);
  }
}
