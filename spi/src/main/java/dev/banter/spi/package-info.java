/**
 * What a backend plugin implements. Start from {@link dev.banter.spi.BackendProvider} (found by
 * {@link java.util.ServiceLoader}), which turns a {@link dev.banter.spi.BackendConfig} into a
 * {@link dev.banter.spi.Backend}; stream answers through a {@link dev.banter.spi.ChatStreamEmitter};
 * keep API keys in a {@link dev.banter.spi.Secret}. Personas can be contributed with a
 * {@link dev.banter.spi.PersonaProvider}. A plugin depends on this module (and so on
 * {@code banter-api}) only.
 */
package dev.banter.spi;
