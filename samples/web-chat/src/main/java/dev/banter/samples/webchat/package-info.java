/**
 * A browser chat over any {@link dev.banter.api.ChatModel}, served by Vert.x. Start from
 * {@link dev.banter.samples.webchat.WebChat} ({@code builder(model)...start()}, or {@code main}
 * for the command line); {@code ChatRoutes} holds the page's JSON and server-sent-event API,
 * {@code SseListener} writes one streamed answer, and {@code ChatSession} and {@code Turn} keep
 * one browser's conversation and the answer being written.
 */
package dev.banter.samples.webchat;
