/**
 * Banter embedded in a plain Java (or Android) application: api, core and the local engine, no
 * server. Start from {@link dev.banter.samples.embedded.EmbeddedChat#open}, which builds a
 * {@link dev.banter.api.ChatModel} with the app's own persona file.
 */
package dev.banter.samples.embedded;
