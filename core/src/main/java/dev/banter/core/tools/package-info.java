/**
 * Tools and structured output on any {@link dev.banter.api.ChatModel}. Start from
 * {@link dev.banter.core.tools.StructuredChat} to get a typed value from a JSON Schema answer, and
 * from {@link dev.banter.core.tools.ToolLoop} to let the model call Java functions until it
 * answers. {@link dev.banter.core.tools.JsonSchemas} and {@link dev.banter.core.tools.Tools} turn
 * records and classes into schemas and tool specs; {@link dev.banter.core.tools.Description},
 * {@link dev.banter.core.tools.Range}, {@link dev.banter.core.tools.Size} and
 * {@link dev.banter.core.tools.Pattern} annotate them.
 */
package dev.banter.core.tools;
