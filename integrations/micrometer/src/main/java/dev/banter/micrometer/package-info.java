/**
 * Micrometer metrics for Banter: {@link dev.banter.micrometer.MicrometerObserver} turns the events
 * of every chat call into timers and counters tagged with backend, model and persona.
 */
package dev.banter.micrometer;
