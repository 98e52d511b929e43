package dev.banter.local.grammar;

/** The package's JSON writer, for tests in other packages. */
public final class JsonTextForTests {
  private JsonTextForTests() {}

  public static String write(Object value) {
    return JsonText.write(value);
  }
}
