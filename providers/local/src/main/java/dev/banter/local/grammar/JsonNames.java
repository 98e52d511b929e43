package dev.banter.local.grammar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Member names of the JSON objects open in the text so far, read alongside the grammar (which
 * guarantees the text is a JSON prefix). A context-free grammar cannot keep the names of a
 * free-form object apart; this can: {@link #wouldRepeat(byte[])} tells whether some bytes would
 * close a name already used in the same object. Names compare decoded ({@code "a"} equals
 * {@code "\u0061"}). Not thread-safe.
 */
final class JsonNames {
  /** Per open container, innermost last: the names of an object, or null for an array. */
  private final List<Set<String>> open;
  private boolean expectName;
  private boolean inString;
  private boolean stringIsName;
  private int escape; // 0 none, 1 after '\', 2..5 reading the hex digits of \\u
  private int unicode;
  private ByteArrayOutputStream name = new ByteArrayOutputStream();

  JsonNames() {
    this.open = new ArrayList<>();
  }

  private JsonNames(JsonNames o) {
    this.open = new ArrayList<>(o.open);
    this.expectName = o.expectName;
    this.inString = o.inString;
    this.stringIsName = o.stringIsName;
    this.escape = o.escape;
    this.unicode = o.unicode;
    this.name = new ByteArrayOutputStream();
    byte[] sofar = o.name.toByteArray();
    this.name.write(sofar, 0, sofar.length);
  }

  /** Whether any object is open: only then can a name repeat. */
  boolean active() {
    for (Set<String> s : open) {
      if (s != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The fewest {@code "} bytes a token needs to close a member name from here: one inside a name,
   * three inside a string value (close it, open and close a name), two elsewhere.
   */
  int quotesToCloseName() {
    return inString ? (stringIsName ? 1 : 3) : 2;
  }

  /** Whether {@code bytes}, after the text so far, close a member name already used in its object. */
  boolean wouldRepeat(byte[] bytes) {
    JsonNames sim = new JsonNames(this);
    for (byte b : bytes) {
      if (!sim.feed(b, true)) {
        return true;
      }
    }
    return false;
  }

  void accept(byte[] bytes) {
    for (byte b : bytes) {
      feed(b, false);
    }
  }

  /** Reads one byte; false if it closes a repeated name. A simulation copies sets before adding. */
  private boolean feed(byte b, boolean simulate) {
    if (inString) {
      if (escape == 1) {
        escape = 0;
        switch (b) {
          case 'u' -> {
            escape = 2;
            unicode = 0;
          }
          case 'n' -> name('\n');
          case 't' -> name('\t');
          case 'r' -> name('\r');
          case 'b' -> name('\b');
          case 'f' -> name('\f');
          default -> name((char) b);
        }
      } else if (escape >= 2) {
        unicode = unicode * 16 + Character.digit((char) b, 16);
        escape = escape == 5 ? 0 : escape + 1;
        if (escape == 0) {
          name((char) unicode);
        }
      } else if (b == '\\') {
        escape = 1;
      } else if (b == '"') {
        inString = false;
        if (stringIsName) {
          String n = new String(name.toByteArray(), StandardCharsets.UTF_8);
          int top = open.size() - 1;
          Set<String> names = open.get(top);
          if (names.contains(n)) {
            return false;
          }
          if (simulate) {
            names = new HashSet<>(names);
            open.set(top, names);
          }
          names.add(n);
        }
      } else if (stringIsName) {
        name.write(b);
      }
      return true;
    }
    switch (b) {
      case '{' -> {
        open.add(new HashSet<>());
        expectName = true;
      }
      case '[' -> {
        open.add(null);
        expectName = false;
      }
      case '}', ']' -> {
        if (!open.isEmpty()) {
          open.remove(open.size() - 1);
        }
        expectName = false;
      }
      case ',' -> expectName = !open.isEmpty() && open.get(open.size() - 1) != null;
      case '"' -> {
        inString = true;
        stringIsName = expectName && !open.isEmpty() && open.get(open.size() - 1) != null;
        expectName = false;
        name.reset();
      }
      default -> {
        // whitespace, ':', numbers, true / false / null
      }
    }
    return true;
  }

  private void name(char c) {
    if (stringIsName) {
      byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      name.write(utf8, 0, utf8.length);
    }
  }
}
