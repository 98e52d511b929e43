/**
 * Banter's runtime. Start from {@link dev.banter.core.Banter#builder()} (or
 * {@link dev.banter.core.Banter#fromConfig(java.nio.file.Path)}): it discovers backend plugins
 * with {@link java.util.ServiceLoader}, loads personas (built-in {@code witty} and
 * {@code regular}, JSON files, {@code PersonaProvider}s), and returns a
 * {@link dev.banter.api.ChatModel} that renders personas, keeps conversations within their token
 * budget, and guards every backend with the policies of {@link dev.banter.core.Resilience}.
 * Observe calls with a {@link dev.banter.core.ChatObserver}; inject time with a
 * {@link dev.banter.core.TimeSource}. Typed structured output and the tool-calling loop are in
 * {@code dev.banter.core.tools}.
 */
package dev.banter.core;
