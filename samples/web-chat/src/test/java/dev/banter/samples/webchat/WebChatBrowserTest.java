package dev.banter.samples.webchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.core.Banter;
import dev.banter.samples.demo.DemoModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in a real (headless) Chromium, on the demo model and the local engine: an answer
 * grows in the page while it streams, the stop button stops one, the persona picker switches
 * persona, and typed text is shown as text. The demo model writes a short answer in about a
 * second, too fast to watch; the web chat's pace (at most one piece per 150 ms) makes the page
 * receive it over a few seconds, as from a larger model. The answer that is stopped is held after
 * a few pieces until it is stopped ({@link HoldingProvider}), so the stop button is pressed while
 * it is surely still being written, however slow the machine. The conversations carry the demo model's options (its sampling and stop sequence, as
 * the web chat's main sets them) with a fixed seed, so the answers are the same on every run.
 * Leaves a screenshot in
 * {@code target/web-chat-screenshot.png}.
 */
class WebChatBrowserTest {
  static final Path SCREENSHOT = Paths.get("target", "web-chat-screenshot.png");

  private HoldingProvider holding;
  private ChatModel model;
  private WebChat chat;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() throws IOException {
    Path profile = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "chromium-profile");
    browser = Chromium.start(profile);
    holding = HoldingProvider.around("local");
    model = Banter.builder().provider(holding).backend(HoldingProvider.ID).set("model", DemoModel.path().toString())
        .build();
    chat = WebChat.builder(model).host("127.0.0.1").port(0).persona("witty")
        .options(WebChat.demoOptions().toBuilder().seed(7).build())
        .pace(Duration.ofMillis(150)).start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(60));
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
    assertEquals("witty", new Select(browser.findElement(By.id("persona"))).getFirstSelectedOption()
        .getAttribute("value"));

    // 1. An answer grows in the page while it streams.
    send("Tell me about Mars.");
    List<Integer> lengths = watchAnswer(Integer.MAX_VALUE);
    assertTrue(lengths.size() >= 3, "the answer's length was seen at " + lengths + " while streaming");
    for (int i = 1; i < lengths.size(); i++) {
      assertTrue(lengths.get(i) > lengths.get(i - 1), "the answer only grows: " + lengths);
    }
    WebElement first = lastAnswer();
    wait.until(d -> "done".equals(first.getAttribute("data-state")));
    String firstText = first.findElement(By.className("text")).getText();
    assertTrue(firstText.length() >= lengths.get(lengths.size() - 1), firstText);
    assertTrue(!firstText.contains(DemoModel.STOP), "the stop sequence ends the answer: " + firstText);

    // 2. The stop button stops an answer in the middle: the model gives three pieces of it, then
    //    waits until the answer is stopped.
    HoldingProvider.Hold hold = holding.holdAfter(3);
    send("What will today bring?");
    String given = hold.awaitPassed(Duration.ofSeconds(60));
    WebElement stopped = lastAnswer();
    wait.until(d -> given.equals(js("return arguments[0].querySelector('.text').textContent;", stopped)));
    assertEquals("streaming", stopped.getAttribute("data-state"), "the page shows '" + given + "' and waits for more");
    WebElement stop = browser.findElement(By.id("stop"));
    assertTrue(stop.isDisplayed(), "the stop button shows while an answer streams");
    stop.click();
    wait.until(d -> !"streaming".equals(stopped.getAttribute("data-state")));
    assertEquals("stopped", stopped.getAttribute("data-state"), "the answer after pressing stop, having shown '"
        + given + "': " + stopped.getText() + " / status: " + browser.findElement(By.id("status")).getText());
    assertTrue(hold.cancelled.isDone(), "the stop reached the model");
    assertEquals("stopped", stopped.findElement(By.className("note")).getText());
    wait.until(d -> "Stopped.".equals(d.findElement(By.id("status")).getText()));
    String cut = stopped.findElement(By.className("text")).getText();
    assertTrue(cut.length() >= given.strip().length(), cut);
    assertTrue(browser.findElement(By.id("send")).isEnabled(), "sending is possible again");
    JsonArray history = state().getJsonArray("history");
    assertEquals(4, history.size(), history.encode());
    String kept = history.getJsonObject(3).getString("text");
    assertTrue(kept.startsWith(cut),
        "the conversation keeps what the model had written when it stopped: '" + kept + "', shown: '" + cut + "'");

    // 3. The persona picker switches persona; the next answer comes from it.
    assertEquals("BANTER (FUN MODE)", stopped.findElement(By.className("who")).getText());
    new Select(browser.findElement(By.id("persona"))).selectByValue("regular");
    wait.until(d -> d.findElement(By.id("status")).getText().startsWith("Now talking to Banter (regular mode)"));
    assertEquals("regular", state().getString("persona"));
    send("Tell me a joke.");
    WebElement regular = lastAnswer();
    wait.until(d -> "done".equals(regular.getAttribute("data-state")));
    assertEquals("BANTER (REGULAR MODE)", regular.findElement(By.className("who")).getText());
    assertTrue(!regular.findElement(By.className("text")).getText().isEmpty());

    // 4. What people type is shown as text, never run as markup.
    String hostile = "<img src=x onerror=\"document.body.dataset.pwned='yes'\"> & <b>bold</b>";
    send(hostile);
    WebElement echo = lastAnswer();
    wait.until(d -> "done".equals(echo.getAttribute("data-state")));
    List<WebElement> users = browser.findElements(By.cssSelector("#log .message.user .text"));
    assertEquals(hostile, users.get(users.size() - 1).getText());
    assertEquals(0L, js("return document.querySelectorAll('#log img, #log b').length;"));
    assertEquals(null, js("return document.body.dataset.pwned || null;"));

    js("window.scrollTo(0, 0);");
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

  /** The server's view of this browser's session, asked with the browser's own cookie. */
  private JsonObject state() {
    Cookie session = browser.manage().getCookieNamed("banter-chat");
    try {
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(chat.url() + "api/state"))
              .header("Cookie", session.getName() + "=" + session.getValue()).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return new JsonObject(r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
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
