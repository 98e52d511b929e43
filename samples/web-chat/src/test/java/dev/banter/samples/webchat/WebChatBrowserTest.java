package dev.banter.samples.webchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.core.Banter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in a real (headless) Chromium: an answer grows in the page while it streams, the
 * stop button stops it, the persona picker switches persona, and text is shown as text. The
 * fixture model is the ELIZA plugin with 150 ms between words, so an answer takes a second or two
 * to stream and can be watched and stopped. Leaves a screenshot in
 * {@code target/web-chat-screenshot.png}.
 */
class WebChatBrowserTest {
  static final Path SCREENSHOT = Paths.get("target", "web-chat-screenshot.png");

  private ChatModel model;
  private WebChat chat;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() throws IOException {
    Path profile = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "chromium-profile");
    browser = Chromium.start(profile);
    model = Banter.builder().backend("eliza").set("word-delay", "150ms").build();
    chat = WebChat.builder(model).host("127.0.0.1").port(0).start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (chat != null) {
      chat.close();
    }
    if (model != null) {
      model.close();
    }
  }

  @Test
  void a_person_chats_watches_the_answer_grow_stops_one_and_switches_persona() throws IOException {
    browser.get(chat.url());
    wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    assertEquals("Persona", browser.findElement(By.cssSelector("label[for=persona]")).getText());

    // 1. An answer grows in the page while it streams.
    send("I need a long holiday by the sea");
    List<Integer> lengths = watchAnswer(Integer.MAX_VALUE);
    assertTrue(lengths.size() >= 3, "the answer's length was seen at " + lengths + " while streaming");
    for (int i = 1; i < lengths.size(); i++) {
      assertTrue(lengths.get(i) > lengths.get(i - 1), "the answer only grows: " + lengths);
    }
    WebElement first = lastAnswer();
    wait.until(d -> "done".equals(first.getAttribute("data-state")));
    assertTrue(first.findElement(By.className("text")).getText().contains("a long holiday by the sea"),
        first.getText());

    // 2. The stop button stops an answer in the middle.
    send("I am writing a very long message so that the answer has many words to stream");
    List<Integer> seen = watchAnswer(3);
    WebElement stop = browser.findElement(By.id("stop"));
    assertTrue(stop.isDisplayed(), "the stop button shows while an answer streams");
    stop.click();
    WebElement stopped = lastAnswer();
    wait.until(d -> "stopped".equals(stopped.getAttribute("data-state")));
    assertEquals("stopped", stopped.findElement(By.className("note")).getText());
    wait.until(d -> "Stopped.".equals(d.findElement(By.id("status")).getText()));
    String cut = stopped.findElement(By.className("text")).getText();
    int words = cut.split("\\s+").length;
    assertTrue(words >= seen.size() && words < 19, "a full answer has 19 words or more; the page shows: " + cut);
    assertTrue(browser.findElement(By.id("send")).isEnabled(), "sending is possible again");

    // 3. The persona picker switches persona; the next answer comes from it.
    new Select(browser.findElement(By.id("persona"))).selectByValue("witty");
    wait.until(d -> d.findElement(By.id("status")).getText().startsWith("Now talking to Banter (fun mode)"));
    send("I feel brave today");
    WebElement witty = lastAnswer();
    wait.until(d -> "done".equals(witty.getAttribute("data-state")));
    assertEquals("BANTER (FUN MODE)", witty.findElement(By.className("who")).getText());
    assertTrue(witty.findElement(By.className("text")).getText().endsWith(")"),
        "ELIZA adds a quip in brackets for a funny persona: " + witty.getText());

    // 4. What people type is shown as text, never run as markup.
    String hostile = "<img src=x onerror=\"document.body.dataset.pwned='yes'\"> & <b>bold</b>";
    send(hostile);
    WebElement echo = lastAnswer();
    wait.until(d -> "done".equals(echo.getAttribute("data-state")));
    List<WebElement> users = browser.findElements(By.cssSelector("#log .message.user .text"));
    assertEquals(hostile, users.get(users.size() - 1).getText());
    assertEquals(0L, js("return document.querySelectorAll('#log img, #log b').length;"));
    assertEquals(null, js("return document.body.dataset.pwned || null;"));

    Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
  }

  private void send(String message) {
    WebElement input = browser.findElement(By.id("message"));
    input.sendKeys(message);
    input.sendKeys(Keys.ENTER);
    wait.until(d -> {
      List<WebElement> answers = d.findElements(By.cssSelector("#log .message.assistant"));
      return !answers.isEmpty() && "streaming".equals(answers.get(answers.size() - 1).getAttribute("data-state"));
    });
  }

  private WebElement lastAnswer() {
    List<WebElement> answers = browser.findElements(By.cssSelector("#log .message.assistant"));
    return answers.get(answers.size() - 1);
  }

  /**
   * Samples the last answer's text length while it streams, until it stops streaming or
   * {@code enough} different non-zero lengths were seen; returns them in the order seen.
   */
  private List<Integer> watchAnswer(int enough) {
    List<Integer> lengths = new ArrayList<>();
    while (lengths.size() < enough) {
      @SuppressWarnings("unchecked")
      List<Object> sample = (List<Object>) js("const a = [...document.querySelectorAll('#log .message.assistant')].pop();"
          + " return [a.dataset.state, a.querySelector('.text').textContent.length];");
      int length = ((Number) sample.get(1)).intValue();
      if (!"streaming".equals(sample.get(0))) {
        break;
      }
      if (length > 0 && (lengths.isEmpty() || lengths.get(lengths.size() - 1) != length)) {
        lengths.add(length);
      }
      pause();
    }
    return lengths;
  }

  private Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private static void pause() {
    try {
      Thread.sleep(30);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
