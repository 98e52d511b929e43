package dev.banter.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.samples.webchat.Chromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The built site in headless Chromium, opened from the file system as a reader would. */
class SiteBrowserTest {
  private static final Path SITE = Paths.get(System.getProperty("banter.site", "target/site")).toAbsolutePath();

  private ChromeDriver browser;

  @BeforeEach
  void start() throws IOException {
    browser = Chromium.start(Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "chromium-profile"));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void the_quick_start_shows_its_heading_and_the_two_commands() throws IOException {
    browser.get(SITE.resolve("quickstart.html").toUri().toString());
    assertEquals("Quick start · Banter", browser.getTitle());
    assertEquals("Quick start", browser.findElement(By.cssSelector("main h1")).getText());
    List<String> blocks = browser.findElements(By.cssSelector("main pre code")).stream()
        .map(WebElement::getText).collect(Collectors.toList());
    assertTrue(blocks.size() >= 5, blocks.toString());
    assertTrue(blocks.contains("./mvnw -B -q -pl samples/cli -am install -DskipTests && samples/cli/banter chat"),
        blocks.toString());
    assertTrue(blocks.contains("./mvnw -B verify"), blocks.toString());
    assertTrue(blocks.stream().anyMatch(b -> b.contains("Banter.builder()")), "a Java snippet is shown");
    assertEquals("Quick start", browser.findElement(By.cssSelector("nav.sidebar a[aria-current=page]")).getText());
    Files.write(Paths.get("target", "site-quickstart-screenshot.png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void the_navigation_leads_to_the_api_javadoc() {
    browser.get(SITE.resolve("index.html").toUri().toString());
    browser.findElement(By.linkText("API Javadoc")).click();
    assertTrue(browser.getCurrentUrl().contains("/javadoc/api/"), browser.getCurrentUrl());
    assertTrue(browser.getPageSource().contains("dev.banter.api"), "the Javadoc lists the api package");
  }
}
