package dev.banter.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnippetsTest {
  @TempDir
  Path root;

  @BeforeEach
  void source() throws IOException {
    Files.createDirectories(root.resolve("src"));
    Files.writeString(root.resolve("src/Hello.java"), String.join("\n",
        "class Hello {",
        "  void run() {",
        "    // tag::outer[]",
        "    int a = 1;",
        "    // tag::inner[]",
        "    if (a > 0) {",
        "      a++;",
        "    }",
        "    // end::inner[]",
        "    // end::outer[]",
        "  }",
        "  // tag::open[]",
        "  int b;",
        "  // tag::twice[]",
        "  // tag::twice[]",
        "  // end::twice[]",
        "  // tag::empty[]",
        "",
        "  // end::empty[]",
        "}",
        ""));
  }

  @Test
  void a_tagged_region_is_included_dedented_without_the_markers_of_other_tags() {
    assertEquals("int a = 1;\nif (a > 0) {\n  a++;\n}\n", Snippets.extract("p.md line 1", root, "src/Hello.java", "outer"));
    assertEquals("if (a > 0) {\n  a++;\n}\n", Snippets.extract("p.md line 1", root, "src/Hello.java", "inner"));
  }

  @Test
  void an_include_line_becomes_a_fenced_block_in_the_files_language() {
    String page = "# T\n\nText\n\n{{include src/Hello.java#inner}}\n\nMore\n";
    assertEquals("# T\n\nText\n\n```java\nif (a > 0) {\n  a++;\n}\n```\n\nMore\n", Snippets.expand("p.md", page, root));
  }

  @Test
  void a_missing_tag_fails_with_the_page_line_and_file() {
    SiteException e = assertThrows(SiteException.class,
        () -> Snippets.expand("guide.md", "# T\n\n{{include src/Hello.java#nope}}\n", root));
    assertEquals("guide.md line 3: src/Hello.java has no tag::nope[] marker.", e.getMessage());
  }

  @Test
  void an_unclosed_doubled_or_empty_tag_fails() {
    assertTrue(assertThrows(SiteException.class, () -> Snippets.extract("w", root, "src/Hello.java", "open"))
        .getMessage().contains("never closes it with end::open[]"));
    assertTrue(assertThrows(SiteException.class, () -> Snippets.extract("w", root, "src/Hello.java", "twice"))
        .getMessage().contains("has tag::twice[] twice"));
    assertTrue(assertThrows(SiteException.class, () -> Snippets.extract("w", root, "src/Hello.java", "empty"))
        .getMessage().contains("nothing between"));
  }

  @Test
  void a_missing_file_or_one_outside_the_project_fails() {
    assertEquals("w: includes src/Gone.java, which does not exist.",
        assertThrows(SiteException.class, () -> Snippets.extract("w", root, "src/Gone.java", "x")).getMessage());
    assertTrue(assertThrows(SiteException.class, () -> Snippets.extract("w", root, "../etc/passwd", null))
        .getMessage().contains("outside the project"));
  }

  @Test
  void java_written_into_a_page_fails_the_build() {
    String page = "# T\n\n```java\nint x = 1;\n```\n";
    SiteException e = assertThrows(SiteException.class, () -> Snippets.expand("p.md", page, root));
    assertTrue(e.getMessage().startsWith("p.md line 3: a Java code block is written into the page."), e.getMessage());
  }

  @Test
  void other_code_blocks_and_includes_inside_them_stay_as_written() {
    String page = "# T\n\n```sh\n./mvnw -B verify\n```\n\n~~~text\n{{include src/Hello.java#inner}}\n~~~\n";
    assertEquals(page, Snippets.expand("p.md", page, root));
  }

  @Test
  void a_malformed_include_fails_instead_of_showing_up_as_text() {
    assertTrue(assertThrows(SiteException.class, () -> Snippets.expand("p.md", "{{include src/Hello.java#}}", root))
        .getMessage().contains("malformed include"));
  }

  @Test
  void languages_follow_file_extensions() {
    assertEquals("json", Snippets.language("a/persona.json"));
    assertEquals("xml", Snippets.language("pom.xml"));
    assertEquals("text", Snippets.language("META-INF/services/dev.banter.spi.BackendProvider"));
  }
}
