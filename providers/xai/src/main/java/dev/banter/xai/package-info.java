/**
 * The {@code xai} backend plugin: xAI's Grok API. Start from {@link dev.banter.xai.XaiProvider},
 * found by {@link java.util.ServiceLoader}; the protocol itself lives in {@code dev.banter.openai}.
 */
package dev.banter.xai;
