/**
 * Banter's application API: chat, streaming, personas, conversations and errors. Depends on
 * nothing but {@code java.base}.
 */
module dev.banter.api {
  exports dev.banter.api;
}
