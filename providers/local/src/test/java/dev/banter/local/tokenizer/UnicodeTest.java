package dev.banter.local.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shipped Unicode 15.1 table, independent of the JVM's own Unicode version. */
class UnicodeTest {
  @Test
  void categories_follow_unicode_15_1() {
    assertEquals(Unicode.LETTER, Unicode.flags('a'));
    assertEquals(Unicode.NUMBER, Unicode.flags('7'));
    assertEquals(Unicode.SYMBOL, Unicode.flags('~'));
    assertEquals(Unicode.PUNCTUATION, Unicode.flags('\u00BF'));
    assertEquals(Unicode.MARK, Unicode.flags(0x0301));
    assertEquals(Unicode.LETTER, Unicode.flags(0x2EBF0), "CJK extension I, new in 15.1");
    assertEquals(Unicode.UNDEFINED, Unicode.flags(0x10D40), "Garay, only assigned in 16.0");
    assertEquals(Unicode.CONTROL, Unicode.flags(0xE000));
    assertEquals(Unicode.SYMBOL, Unicode.flags(0x1F999));
    assertEquals(0, Unicode.flags(-1));
  }

  @Test
  void white_space_is_the_unicode_property() {
    assertTrue(Unicode.isWhitespace(0x3000));
    assertTrue(Unicode.isWhitespace(0x85));
    assertTrue(!Unicode.isWhitespace(0x1C), "U+001C is not White_Space");
    assertTrue(!Unicode.isWhitespace(0x200B));
    assertEquals(Unicode.SEPARATOR | Unicode.WHITESPACE, Unicode.flags(0x00A0));
  }

  @Test
  void category_classes_are_rewritten_for_the_collapsed_text() {
    assertEquals("[\uE002A-Za-z]+", PreTokenizer.rewriteCategories("\\p{L}+"));
    assertEquals("[^\\s\uE002A-Za-z\uE0010-9]", PreTokenizer.rewriteCategories("[^\\s\\p{L}\\p{N}]"));
  }
}
