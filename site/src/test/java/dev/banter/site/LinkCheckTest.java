package dev.banter.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Walks the built site — the pages and the unpacked Javadoc — and follows every internal link,
 * image, stylesheet and script: the target must exist, and a {@code #fragment} must name an
 * element of the target page. External links (http, https, mailto) are not followed: no test
 * touches the network.
 */
class LinkCheckTest {
  private static Path site;
  private static List<Path> pages;
  private static final Map<Path, Set<String>> IDS = new HashMap<>();

  @BeforeAll
  static void findTheSite() throws IOException {
    site = Paths.get(System.getProperty("banter.site", "target/site")).toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(site.resolve("index.html")), "the site was not built into " + site);
    try (Stream<Path> files = Files.walk(site)) {
      pages = files.filter(p -> p.toString().endsWith(".html")).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void no_internal_link_is_broken() throws IOException {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      Document doc = Jsoup.parse(page.toFile(), "UTF-8");
      for (Element e : doc.select("a[href], link[href], img[src], script[src], iframe[src]")) {
        String ref = e.hasAttr("href") ? e.attr("href") : e.attr("src");
        String problem = check(page, ref);
        checked++;
        if (problem != null) {
          broken.add(site.relativize(page) + ": " + ref + " (" + problem + ")");
        }
      }
    }
    assertTrue(checked > 1000, "only " + checked + " links were checked");
    assertEquals(List.of(), broken, broken.size() + " broken links");
  }

  @Test
  void every_page_has_one_title_and_the_navigation_with_the_javadoc() throws IOException {
    for (Path page : pages) {
      if (page.getParent().equals(site)) {
        Document doc = Jsoup.parse(page.toFile(), "UTF-8");
        assertEquals(1, doc.select("main h1").size(), page + " has one title");
        assertEquals(1, doc.select("nav.sidebar a[aria-current=page]").size(), page + " marks itself in the navigation");
        assertTrue(doc.select("nav.sidebar a[href=javadoc/api/index.html]").size() == 1, page.toString());
        assertTrue(doc.select("nav.sidebar a[href=javadoc/spi/index.html]").size() == 1, page.toString());
      }
    }
  }

  @Test
  void the_javadoc_of_api_and_spi_is_there_and_spi_links_into_api() throws IOException {
    assertTrue(Files.isRegularFile(site.resolve("javadoc/api/dev.banter.api/dev/banter/api/ChatModel.html")));
    assertTrue(Files.isRegularFile(site.resolve("javadoc/spi/dev.banter.spi/dev/banter/spi/Backend.html")));
    Document backend = Jsoup.parse(site.resolve("javadoc/spi/dev.banter.spi/dev/banter/spi/Backend.html").toFile(),
        "UTF-8");
    assertTrue(backend.select("a[href*=api/dev.banter.api/dev/banter/api/ChatRequest.html]").size() > 0,
        "the SPI's Javadoc links to the API's");
  }

  /** Null when {@code ref} on {@code page} resolves, else what is wrong. */
  private static String check(Path page, String ref) {
    if (ref.isEmpty()) {
      return "empty reference";
    }
    URI uri;
    try {
      uri = new URI(ref.replace(" ", "%20"));
    } catch (URISyntaxException e) {
      return "not a valid URI";
    }
    if (uri.getScheme() != null) {
      String scheme = uri.getScheme();
      return scheme.equals("http") || scheme.equals("https") || scheme.equals("mailto") || scheme.equals("data")
          ? null : "unexpected scheme " + scheme;
    }
    if (ref.startsWith("/")) {
      return "absolute path; the site must work from any directory";
    }
    Path target = uri.getPath() == null || uri.getPath().isEmpty()
        ? page : page.getParent().resolve(uri.getPath()).normalize();
    if (!target.startsWith(site)) {
      return "points outside the site";
    }
    if (Files.isDirectory(target)) {
      target = target.resolve("index.html");
    }
    if (!Files.isRegularFile(target)) {
      return "no such file";
    }
    String fragment = uri.getFragment();
    if (fragment != null && !fragment.isEmpty() && target.toString().endsWith(".html")
        && !ids(target).contains(fragment) && !jdk17ConstantGroup(target, fragment)) {
      return "no element with id '" + fragment + "'";
    }
    return null;
  }

  /**
   * JDK 17's javadoc links each group of its constant-values page by package prefix
   * ({@code #dev.banter}) but gives the group the full package name as its id
   * ({@code dev.banter.spi}); JDK 25's javadoc writes the prefix as the id. Only that link, on
   * only that page, is let through.
   */
  private static boolean jdk17ConstantGroup(Path target, String fragment) {
    return target.getFileName().toString().equals("constant-values.html")
        && ids(target).stream().anyMatch(id -> id.startsWith(fragment + ".") && id.indexOf('.', fragment.length() + 1) < 0);
  }

  private static Set<String> ids(Path page) {
    return IDS.computeIfAbsent(page, p -> {
      try {
        Set<String> ids = new HashSet<>();
        Document doc = Jsoup.parse(p.toFile(), "UTF-8");
        for (Element e : doc.select("[id]")) {
          ids.add(e.id());
        }
        for (Element e : doc.select("a[name]")) {
          ids.add(e.attr("name"));
        }
        return ids;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }
}
