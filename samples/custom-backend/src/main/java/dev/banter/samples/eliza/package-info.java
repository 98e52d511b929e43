/**
 * A Banter backend plugin, start to finish: {@link dev.banter.samples.eliza.ElizaProvider} is what
 * {@link java.util.ServiceLoader} finds (see {@code META-INF/services}); it creates a backend that
 * answers like Weizenbaum's ELIZA, streams word by word through a
 * {@link dev.banter.spi.ChatStreamEmitter}, and honours the persona's style as far as a 1966
 * chatbot can. Built against {@code banter-spi} alone.
 */
package dev.banter.samples.eliza;
