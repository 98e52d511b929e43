package dev.banter.samples.webchat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both named explicitly so that
 * nothing is looked up or downloaded. Without them the browser tests are skipped, unless
 * {@code BANTER_BROWSER_TESTS=required} (as in CI), which makes their absence a failure. Shared
 * with the site's browser test through this module's test-jar.
 */
public final class Chromium {
  static final Path BROWSER = Paths.get("/usr/bin/chromium");
  static final Path DRIVER = Paths.get("/usr/bin/chromedriver");

  private Chromium() {}

  /** A fresh headless browser with its own profile in {@code profileDir}. */
  public static ChromeDriver start(Path profileDir) {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      String why = "The browser tests need " + BROWSER + " and " + DRIVER
          + " (Debian: apt-get install chromium chromium-driver)";
      if ("required".equalsIgnoreCase(System.getenv("BANTER_BROWSER_TESTS"))) {
        Assertions.fail(why + "; BANTER_BROWSER_TESTS=required makes their absence a failure.");
      }
      Assumptions.abort(why + "; skipped. Set BANTER_BROWSER_TESTS=required to fail instead.");
    }
    try {
      Files.createDirectories(profileDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--disable-extensions", "--no-first-run", "--window-size=1000,900",
        "--user-data-dir=" + profileDir.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER.toString()))
        .usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(30))
        .build();
    return new ChromeDriver(service, options);
  }
}
