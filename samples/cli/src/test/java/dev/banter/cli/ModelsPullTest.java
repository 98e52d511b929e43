package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter models pull}: full, resumed and refused downloads against a local server. */
@Timeout(60)
class ModelsPullTest {
  @TempDir
  Path home;

  private byte[] content;
  private String sha256;

  @BeforeEach
  void content() throws Exception {
    content = new byte[300_000];
    new Random(42).nextBytes(content);
    Path tmp = Files.write(home.resolve("expected.bin"), content);
    sha256 = Download.sha256(tmp);
    Files.delete(tmp);
  }

  private Path models() {
    return home.resolve("models");
  }

  @Test
  void a_full_download_lands_in_the_cache_under_its_name_and_verifies() throws Exception {
    try (RangeServer server = new RangeServer(content)) {
      TestIo t = new TestIo(home);
      assertEquals(0, t.run("models", "pull", server.url("/files/tiny.gguf?token=s3cret"), "--sha256", sha256));
      Path file = models().resolve("tiny.gguf");
      assertArrayEquals(content, Files.readAllBytes(file));
      assertEquals(file.toString(), t.out.text().trim());
      assertTrue(t.err.text().contains("(verified)"), t.err.text());
      assertFalse(Files.exists(models().resolve("tiny.gguf.part")));
      assertEquals(List.of(""), server.ranges);
    }
  }

  @Test
  void a_dropped_connection_is_resumed_with_a_range_request() throws Exception {
    try (RangeServer server = new RangeServer(content)) {
      server.cutAfter = 100_000;
      server.drops.set(1);
      TestIo t = new TestIo(home);
      assertEquals(0, t.run("models", "pull", server.url("/tiny.gguf"), "--sha256", sha256));
      assertArrayEquals(content, Files.readAllBytes(models().resolve("tiny.gguf")));
      assertEquals(2, server.ranges.size());
      assertEquals("", server.ranges.get(0));
      // what arrived before the drop, at most what the server wrote
      long resumedAt = Long.parseLong(server.ranges.get(1).replaceAll("bytes=(\\d+)-", "$1"));
      assertTrue(resumedAt > 0 && resumedAt <= 100_000, server.ranges.toString());
      assertTrue(t.err.text().contains("resuming"), t.err.text());
    }
  }

  @Test
  void an_interrupted_download_keeps_its_part_and_the_next_run_resumes_it() throws Exception {
    try (RangeServer server = new RangeServer(content)) {
      server.cutAfter = 120_000;
      server.drops.set(1);
      TestIo first = new TestIo(home);
      assertEquals(ExitCode.FAILURE, first.run("models", "pull", server.url("/tiny.gguf"), "--retries", "0"));
      Path part = models().resolve("tiny.gguf.part");
      long kept = Files.size(part);
      assertTrue(kept > 0 && kept <= 120_000, "keeps what arrived: " + kept);
      assertFalse(Files.exists(models().resolve("tiny.gguf")));
      assertTrue(first.err.text().contains("run the same command again to resume"), first.err.text());

      TestIo second = new TestIo(home);
      assertEquals(0, second.run("models", "pull", server.url("/tiny.gguf"), "--sha256", sha256));
      assertEquals("bytes=" + kept + "-", server.ranges.get(1));
      assertArrayEquals(content, Files.readAllBytes(models().resolve("tiny.gguf")));
      assertFalse(Files.exists(part));
    }
  }

  @Test
  void a_server_that_ignores_ranges_makes_the_download_start_over() throws Exception {
    try (RangeServer server = new RangeServer(content)) {
      server.ignoreRanges = true;
      server.cutAfter = 50_000;
      server.drops.set(1);
      TestIo t = new TestIo(home);
      assertEquals(0, t.run("models", "pull", server.url("/tiny.gguf"), "--sha256", sha256));
      assertArrayEquals(content, Files.readAllBytes(models().resolve("tiny.gguf")));
      assertTrue(t.err.text().contains("starting over"), t.err.text());
    }
  }

  @Test
  void a_checksum_mismatch_is_refused_and_nothing_is_kept() throws Exception {
    try (RangeServer server = new RangeServer(content)) {
      String wrong = "0".repeat(64);
      TestIo t = new TestIo(home);
      assertEquals(ExitCode.FAILURE, t.run("models", "pull", server.url("/tiny.gguf"), "--sha256", wrong));
      assertTrue(t.err.text().contains("Checksum mismatch"), t.err.text());
      assertTrue(t.err.text().contains(sha256), "names the actual checksum: " + t.err.text());
      assertFalse(Files.exists(models().resolve("tiny.gguf")));
      assertFalse(Files.exists(models().resolve("tiny.gguf.part")));
    }
  }

  @Test
  void a_completed_part_is_finished_without_downloading_again() throws Exception {
    try (RangeServer server = new RangeServer(content)) {
      Files.createDirectories(models());
      Files.write(models().resolve("tiny.gguf.part"), content);
      TestIo t = new TestIo(home);
      assertEquals(0, t.run("models", "pull", server.url("/tiny.gguf"), "--sha256", sha256));
      assertEquals(List.of("bytes=300000-"), server.ranges);
      assertArrayEquals(content, Files.readAllBytes(models().resolve("tiny.gguf")));
    }
  }

  @Test
  void a_file_already_there_is_not_fetched_again() throws Exception {
    try (RangeServer server = new RangeServer(content)) {
      Files.createDirectories(models());
      Files.write(models().resolve("tiny.gguf"), content);
      TestIo t = new TestIo(home);
      assertEquals(0, t.run("models", "pull", server.url("/tiny.gguf"), "--sha256", sha256));
      assertTrue(server.ranges.isEmpty());
      assertTrue(t.err.text().contains("Already downloaded"), t.err.text());
    }
  }

  @Test
  void a_missing_file_is_a_failure_naming_the_status_without_the_query() throws Exception {
    try (RangeServer server = new RangeServer(content)) {
      TestIo t = new TestIo(home);
      assertEquals(ExitCode.FAILURE, t.run("models", "pull", server.url("/nope.bin?sig=abc123"), "--dir",
          home.resolve("elsewhere").toString()));
      assertTrue(t.err.text().contains("HTTP 404"), t.err.text());
      assertFalse(t.err.text().contains("abc123"), t.err.text());
    }
  }

  @Test
  void bad_arguments_are_usage_errors() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("models", "pull", "ftp://example.org/x.gguf"));
    assertEquals(ExitCode.USAGE, t.run("models", "pull", "http://127.0.0.1:1/x.gguf", "--sha256", "abc"));
    assertEquals(ExitCode.USAGE, t.run("models", "pull", "http://127.0.0.1:1/dir/"));
    assertEquals(ExitCode.USAGE, t.run("models", "pull", "http://127.0.0.1:1/x.gguf", "--name", "../x.gguf"));
  }

  @Test
  void a_malformed_url_is_a_usage_error_that_does_not_repeat_its_query() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("models", "pull", "https://example.org/x.gguf?token=s3cret value"));
    assertFalse(t.err.text().contains("s3cret"), t.err.text());
  }

  @Test
  void list_shows_finished_and_unfinished_downloads() throws Exception {
    Files.createDirectories(models());
    Files.write(models().resolve("a.gguf"), new byte[2000]);
    Files.write(models().resolve("b.gguf.part"), new byte[10]);
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("models", "list"));
    String out = t.out.text();
    assertTrue(out.contains("2.0 KB  a.gguf"), out);
    assertTrue(out.contains("b.gguf.part  (unfinished download"), out);
  }
}
