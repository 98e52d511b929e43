package dev.banter.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts code from the project's compiled sources into pages, so that no snippet on the site can
 * drift from code that builds. A line {@code {{include samples/embedded/src/main/java/.../EmbeddedChat.java#embed}}}
 * becomes a fenced code block holding the lines between {@code tag::embed[]} and
 * {@code end::embed[]} in that file, indented as little as possible; without {@code #tag} the
 * whole file is included. Java may only reach a page this way: a Java block written into a page
 * fails the build. Every problem is a {@link SiteException} naming the page and line.
 */
final class Snippets {
  private static final Pattern INCLUDE = Pattern.compile("\\{\\{include ([^#}\\s]+)(?:#([A-Za-z0-9_-]+))?}}");
  private static final Pattern MARKER = Pattern.compile("(?:tag|end)::[A-Za-z0-9_-]+\\[]");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*).*$");

  private Snippets() {}

  /**
   * Replaces the include lines of {@code page} with code blocks from files under {@code root}.
   *
   * @throws SiteException when an included file or tag is missing, or the page holds Java of its own
   */
  static String expand(String pageName, String markdown, Path root) {
    StringBuilder out = new StringBuilder();
    String[] lines = markdown.split("\n", -1);
    String openFence = null;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int lineNo = i + 1;
      Matcher fence = FENCE.matcher(line);
      if (fence.matches()) {
        if (openFence == null) {
          openFence = fence.group(1);
          if (fence.group(2).toLowerCase(Locale.ROOT).equals("java")) {
            throw new SiteException(pageName + " line " + lineNo + ": a Java code block is written into the page."
                + " Put the code in a compiled source between // tag::name[] and // end::name[] and include it with"
                + " {{include path/File.java#name}}, so that it is compiled with the build.");
          }
        } else if (line.trim().startsWith(openFence)) {
          openFence = null;
        }
      }
      Matcher m = INCLUDE.matcher(line.trim());
      if (openFence == null && m.matches()) {
        String path = m.group(1);
        String tag = m.group(2);
        String code = extract(pageName + " line " + lineNo, root, path, tag);
        out.append("```").append(language(path)).append('\n').append(code).append("```");
      } else {
        if (openFence == null && line.contains("{{include")) {
          throw new SiteException(pageName + " line " + lineNo + ": a malformed include: '" + line.trim()
              + "'. Write {{include path/to/File.java#tag}} alone on its line.");
        }
        out.append(line);
      }
      if (i + 1 < lines.length) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** The lines of {@code path} tagged {@code tag} (or all of them), markers removed, dedented. */
  static String extract(String where, Path root, String path, String tag) {
    Path file = root.resolve(path).normalize();
    if (!file.startsWith(root.normalize())) {
      throw new SiteException(where + ": includes " + path + ", which lies outside the project.");
    }
    if (!Files.isRegularFile(file)) {
      throw new SiteException(where + ": includes " + path + ", which does not exist.");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SiteException(where + ": cannot read " + path + ": " + e.getMessage(), e);
    }
    List<String> region = new ArrayList<>();
    if (tag == null) {
      region.addAll(lines);
    } else {
      String start = "tag::" + tag + "[]";
      String end = "end::" + tag + "[]";
      int from = -1;
      int to = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(start)) {
          if (from >= 0) {
            throw new SiteException(where + ": " + path + " has " + start + " twice (lines " + from
                + " and " + (i + 1) + ").");
          }
          from = i + 1;
        } else if (lines.get(i).contains(end) && from >= 0 && to < 0) {
          to = i;
        }
      }
      if (from < 0) {
        throw new SiteException(where + ": " + path + " has no " + start + " marker.");
      }
      if (to < 0) {
        throw new SiteException(where + ": " + path + " opens " + start + " at line " + from + " but never closes it"
            + " with " + end + ".");
      }
      region.addAll(lines.subList(from, to));
    }
    List<String> kept = new ArrayList<>();
    for (String l : region) {
      if (!MARKER.matcher(l).find()) {
        kept.add(l);
      }
    }
    while (!kept.isEmpty() && kept.get(0).trim().isEmpty()) {
      kept.remove(0);
    }
    while (!kept.isEmpty() && kept.get(kept.size() - 1).trim().isEmpty()) {
      kept.remove(kept.size() - 1);
    }
    if (kept.isEmpty()) {
      throw new SiteException(where + ": " + path + (tag == null ? " is empty." : " has nothing between its "
          + tag + " markers."));
    }
    int indent = Integer.MAX_VALUE;
    for (String l : kept) {
      if (!l.trim().isEmpty()) {
        int n = 0;
        while (n < l.length() && l.charAt(n) == ' ') {
          n++;
        }
        indent = Math.min(indent, n);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String l : kept) {
      sb.append(l.length() >= indent ? l.substring(indent) : l.trim()).append('\n');
    }
    return sb.toString();
  }

  static String language(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "java" -> "java";
      case "json" -> "json";
      case "xml" -> "xml";
      case "js" -> "javascript";
      case "sh" -> "sh";
      case "properties" -> "properties";
      default -> "text";
    };
  }
}
