package dev.banter.core;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper of banter-core: configured here, never exposed. */
final class CoreJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private CoreJson() {}
}
