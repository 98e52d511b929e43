package dev.banter.local.chat;

import java.util.List;

/** One parse's result: answer text, reasoning text and the tool calls read so far. */
record Snapshot(String content, String reasoning, List<Draft.Call> calls) {}
