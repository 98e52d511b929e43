/**
 * Test support for the OpenAI-compatible providers (published as banter-openai-wire's test jar).
 * Start from {@link dev.banter.openai.testing.OpenAiCompatibleBackendContract}, the wire-level
 * contract a provider's test extends, with a {@link dev.banter.openai.testing.MockServer} playing
 * recorded-shape {@link dev.banter.openai.testing.Reply replies} and
 * {@link dev.banter.openai.testing.Transcripts}; {@link dev.banter.openai.testing.ServedBackendContract}
 * runs spi's backend contract against a {@link dev.banter.openai.testing.ServedModel}.
 */
package dev.banter.openai.testing;
