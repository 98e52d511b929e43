package dev.banter.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The site's navigation, read from {@code nav.txt}: {@code # Section} lines start a section, and
 * each other non-blank line is {@code page.md | Label} (a page to build) or
 * {@code path.html | Label} (a link to something else the site holds, such as the Javadoc).
 * The order of pages is the order of reading. Immutable.
 */
final class Nav {
  /** One line of the navigation. */
  static final class Entry {
    final String section;
    final String source;
    final String label;

    Entry(String section, String source, String label) {
      this.section = section;
      this.source = source;
      this.label = label;
    }

    boolean isPage() {
      return source.endsWith(".md");
    }

    /** Where the entry's HTML is, relative to the site's root. */
    String output() {
      return isPage() ? source.substring(0, source.length() - 3) + ".html" : source;
    }
  }

  private final List<Entry> entries;

  private Nav(List<Entry> entries) {
    this.entries = entries;
  }

  static Nav read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new SiteException("The navigation " + file + " is missing.");
    }
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  static Nav parse(List<String> lines) {
    List<Entry> entries = new ArrayList<>();
    String section = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        section = line.substring(1).trim();
        continue;
      }
      int bar = line.indexOf('|');
      if (section == null || bar <= 0 || line.substring(bar + 1).trim().isEmpty()) {
        throw new SiteException("nav.txt line " + (i + 1) + ": expected '# Section' or 'page.md | Label' (under a"
            + " section), got '" + line + "'.");
      }
      String source = line.substring(0, bar).trim();
      if (!source.endsWith(".md") && !source.endsWith(".html")) {
        throw new SiteException("nav.txt line " + (i + 1) + ": '" + source + "' is neither a page (.md) nor HTML.");
      }
      for (Entry e : entries) {
        if (e.source.equals(source)) {
          throw new SiteException("nav.txt line " + (i + 1) + ": " + source + " is listed twice.");
        }
      }
      entries.add(new Entry(section, source, line.substring(bar + 1).trim()));
    }
    if (entries.isEmpty()) {
      throw new SiteException("nav.txt lists no page.");
    }
    return new Nav(entries);
  }

  /** The pages to build, in order. */
  List<Entry> pages() {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.isPage()) {
        out.add(e);
      }
    }
    return out;
  }

  String label(Entry e) {
    return e.label;
  }

  /** The navigation as HTML, with {@code current} marked as the current page. */
  String html(Entry current) {
    StringBuilder sb = new StringBuilder();
    String section = null;
    for (Entry e : entries) {
      if (!e.section.equals(section)) {
        if (section != null) {
          sb.append("</ul>\n");
        }
        section = e.section;
        sb.append("<h2>").append(SiteGenerator.escape(section)).append("</h2>\n<ul>\n");
      }
      sb.append("<li><a href=\"").append(e.output()).append('"');
      if (e == current) {
        sb.append(" aria-current=\"page\"");
      }
      sb.append('>').append(SiteGenerator.escape(e.label)).append("</a></li>\n");
    }
    return sb.append("</ul>\n").toString();
  }
}
