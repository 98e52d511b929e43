package dev.banter.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteGeneratorTest {
  @TempDir
  Path dir;

  @Test
  void links_to_pages_become_links_to_their_html_and_others_stay() {
    assertEquals("concepts.html#streaming", SiteGenerator.pageLink("concepts.md#streaming"));
    assertEquals("quickstart.html", SiteGenerator.pageLink("quickstart.md"));
    assertEquals("javadoc/api/index.html", SiteGenerator.pageLink("javadoc/api/index.html"));
    assertEquals("https://example.org/a.md", SiteGenerator.pageLink("https://example.org/a.md"));
    assertEquals("#local", SiteGenerator.pageLink("#local"));
  }

  @Test
  void a_page_renders_with_its_title_anchors_tables_and_version() {
    SiteGenerator.Rendered r = SiteGenerator.render("p.md",
        "# The `api`\n\n## Two words\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee [concepts](concepts.md#models), v{{version}}.\n",
        dir, "1.2.3");
    assertEquals("The api", r.title);
    assertTrue(r.html.contains("<h2 id=\"two-words\">Two words</h2>"), r.html);
    assertTrue(r.html.contains("<table>"), r.html);
    assertTrue(r.html.contains("<a href=\"concepts.html#models\">concepts</a>, v1.2.3."), r.html);
  }

  @Test
  void a_page_needs_exactly_one_title() {
    assertTrue(assertThrows(SiteException.class, () -> SiteGenerator.render("p.md", "## Only a section\n", dir, "1"))
        .getMessage().contains("exactly one level-1 heading"));
    assertTrue(assertThrows(SiteException.class, () -> SiteGenerator.render("p.md", "# One\n\n# Two\n", dir, "1"))
        .getMessage().contains("found 2"));
  }

  @Test
  void the_navigation_marks_the_current_page_and_rejects_bad_lines() {
    Nav nav = Nav.parse(List.of("# Start", "index.md | Home", "a.md | A & B", "", "# Reference", "javadoc/api/index.html | API"));
    assertEquals(2, nav.pages().size());
    String html = nav.html(nav.pages().get(1));
    assertTrue(html.contains("<li><a href=\"a.html\" aria-current=\"page\">A &amp; B</a></li>"), html);
    assertTrue(html.contains("<h2>Reference</h2>"), html);
    assertTrue(assertThrows(SiteException.class, () -> Nav.parse(List.of("index.md | Home")))
        .getMessage().contains("line 1"));
    assertTrue(assertThrows(SiteException.class, () -> Nav.parse(List.of("# S", "a.md | A", "a.md | again")))
        .getMessage().contains("listed twice"));
  }

  @Test
  void the_site_is_written_with_layout_pager_and_assets_and_unlisted_pages_fail() throws IOException {
    Path pages = Files.createDirectories(dir.resolve("pages"));
    Files.createDirectories(pages.resolve("assets"));
    Files.writeString(pages.resolve("assets/style.css"), "body {}");
    Files.writeString(pages.resolve("nav.txt"), "# S\nindex.md | Home\nnext.md | Next\n");
    Files.writeString(pages.resolve("index.md"), "# Welcome\n\nGo [on](next.md).\n");
    Files.writeString(pages.resolve("next.md"), "# Next page\n");
    Path layout = Files.writeString(dir.resolve("layout.html"),
        "<title>{{title}}</title><nav>{{nav}}</nav><main>{{content}}{{pager}}</main><i>{{version}}</i>");
    Path out = dir.resolve("out");
    List<Path> written = SiteGenerator.generate(pages, layout, dir, out, "9");
    assertEquals(List.of(out.resolve("index.html"), out.resolve("next.html")), written);
    String index = Files.readString(out.resolve("index.html"));
    assertTrue(index.startsWith("<title>Welcome</title>"), index);
    assertTrue(index.contains("<a class=\"next\" href=\"next.html\">Next →</a>"), index);
    assertTrue(index.contains("<i>9</i>"), index);
    assertEquals("body {}", Files.readString(out.resolve("assets/style.css")));

    Files.writeString(pages.resolve("orphan.md"), "# Orphan\n");
    assertTrue(assertThrows(SiteException.class, () -> SiteGenerator.generate(pages, layout, dir, out, "9"))
        .getMessage().contains("orphan.md is not listed in nav.txt"));
  }
}
