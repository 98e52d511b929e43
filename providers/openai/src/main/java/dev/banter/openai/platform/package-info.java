/**
 * The {@code openai} backend plugin: OpenAI's API. Start from
 * {@link dev.banter.openai.platform.OpenAiProvider}, found by {@link java.util.ServiceLoader}; the
 * protocol itself lives in {@code dev.banter.openai} (module banter-openai-wire).
 */
package dev.banter.openai.platform;
