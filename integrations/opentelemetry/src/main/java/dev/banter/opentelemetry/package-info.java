/**
 * OpenTelemetry for Banter: {@link dev.banter.opentelemetry.OpenTelemetryObserver} gives every
 * chat call a span and records the GenAI client metrics, following the OpenTelemetry semantic
 * conventions for generative AI.
 */
package dev.banter.opentelemetry;
