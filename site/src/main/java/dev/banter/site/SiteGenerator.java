package dev.banter.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Builds the documentation site: every page listed in {@code nav.txt} of the pages directory is
 * read as Markdown, its {@code {{include ...}}} lines are replaced by code from the project's
 * sources (see {@code Snippets}), links to other pages ({@code concepts.md#streaming}) are
 * turned into links to their HTML, and the result is put into the layout with the navigation.
 * Files under {@code assets/} are copied as they are. Runs in the build's
 * {@code process-classes} phase; any problem fails the build with the page and line at fault.
 *
 * <pre>{@code
 * SiteGenerator.main(new String[] {"site/src/pages", "site/src/layout/page.html", ".", "site/target/site", "1.0"});
 * }</pre>
 */
public final class SiteGenerator {
  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(), HeadingAnchorExtension.create());

  private SiteGenerator() {}

  /**
   * Generates the site.
   *
   * @param args the pages directory, the layout file, the project's root directory, the output
   *     directory and the project version
   * @throws IOException when a file cannot be read or written
   * @throws IllegalArgumentException when a page, an include or the navigation is wrong
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      throw new IllegalArgumentException("Usage: SiteGenerator PAGES_DIR LAYOUT_FILE PROJECT_ROOT OUTPUT_DIR VERSION");
    }
    try {
      List<Path> written = generate(Paths.get(args[0]), Paths.get(args[1]), Paths.get(args[2]), Paths.get(args[3]),
          args[4]);
      System.out.println("Banter site: " + written.size() + " pages written to " + args[3]);
    } catch (SiteException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Writes the pages and assets; returns the pages written. */
  static List<Path> generate(Path pages, Path layoutFile, Path root, Path out, String version) throws IOException {
    Nav nav = Nav.read(pages.resolve("nav.txt"));
    String layout = Files.readString(layoutFile, StandardCharsets.UTF_8);
    checkEveryPageIsListed(pages, nav);
    Files.createDirectories(out);
    List<Path> written = new ArrayList<>();
    List<Nav.Entry> entries = nav.pages();
    for (int i = 0; i < entries.size(); i++) {
      Nav.Entry entry = entries.get(i);
      Path source = pages.resolve(entry.source);
      if (!Files.isRegularFile(source)) {
        throw new SiteException("nav.txt lists " + entry.source + ", which is not in " + pages + ".");
      }
      String markdown = Files.readString(source, StandardCharsets.UTF_8);
      Rendered page = render(entry.source, markdown, root, version);
      String html = layout
          .replace("{{title}}", escape(page.title))
          .replace("{{nav}}", nav.html(entry))
          .replace("{{pager}}", pager(i > 0 ? entries.get(i - 1) : null, i + 1 < entries.size() ? entries.get(i + 1) : null,
              nav))
          .replace("{{version}}", escape(version))
          .replace("{{content}}", page.html);
      Path target = out.resolve(entry.output());
      Files.writeString(target, html, StandardCharsets.UTF_8);
      written.add(target);
    }
    copyAssets(pages.resolve("assets"), out.resolve("assets"));
    return written;
  }

  /** One page rendered: its title (the text of its one level-1 heading) and its HTML. */
  static final class Rendered {
    final String title;
    final String html;

    Rendered(String title, String html) {
      this.title = title;
      this.html = html;
    }
  }

  static Rendered render(String name, String markdown, Path root, String version) {
    String expanded = Snippets.expand(name, markdown, root).replace("{{version}}", version);
    Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    Node document = parser.parse(expanded);
    List<String> titles = new ArrayList<>();
    document.accept(new AbstractVisitor() {
      @Override
      public void visit(Heading heading) {
        if (heading.getLevel() == 1) {
          titles.add(text(heading));
        }
        visitChildren(heading);
      }

      @Override
      public void visit(Link link) {
        link.setDestination(pageLink(link.getDestination()));
        visitChildren(link);
      }
    });
    if (titles.size() != 1) {
      throw new SiteException(name + ": a page needs exactly one level-1 heading (# Title), found " + titles.size() + ".");
    }
    String html = HtmlRenderer.builder().extensions(EXTENSIONS).build().render(document);
    return new Rendered(titles.get(0), html);
  }

  /** {@code concepts.md#streaming} becomes {@code concepts.html#streaming}; other links stay. */
  static String pageLink(String destination) {
    if (destination.contains(":") || destination.startsWith("/")) {
      return destination;
    }
    int hash = destination.indexOf('#');
    String path = hash < 0 ? destination : destination.substring(0, hash);
    String fragment = hash < 0 ? "" : destination.substring(hash);
    if (path.endsWith(".md")) {
      return path.substring(0, path.length() - 3) + ".html" + fragment;
    }
    return destination;
  }

  private static String text(Node node) {
    StringBuilder sb = new StringBuilder();
    node.accept(new AbstractVisitor() {
      @Override
      public void visit(Text text) {
        sb.append(text.getLiteral());
      }

      @Override
      public void visit(org.commonmark.node.Code code) {
        sb.append(code.getLiteral());
      }
    });
    return sb.toString();
  }

  private static String pager(Nav.Entry previous, Nav.Entry next, Nav nav) {
    StringBuilder sb = new StringBuilder("<nav class=\"pager\" aria-label=\"Previous and next page\">");
    if (previous != null) {
      sb.append("<a class=\"previous\" href=\"").append(previous.output()).append("\">← ")
          .append(escape(nav.label(previous))).append("</a>");
    }
    if (next != null) {
      sb.append("<a class=\"next\" href=\"").append(next.output()).append("\">")
          .append(escape(nav.label(next))).append(" →</a>");
    }
    return sb.append("</nav>").toString();
  }

  private static void checkEveryPageIsListed(Path pages, Nav nav) throws IOException {
    try (Stream<Path> files = Files.list(pages)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(".md") && nav.pages().stream().noneMatch(e -> e.source.equals(name))) {
          throw new SiteException(name + " is not listed in nav.txt; list it, or remove the page.");
        }
      }
    }
  }

  private static void copyAssets(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> files = Files.walk(from)) {
      files.forEach(p -> {
        try {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
