package dev.banter.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type or member that uses JVM APIs Android API 26 lacks (for example
 * {@code java.util.concurrent.Flow}, Android API 30+); the Android compatibility check skips it.
 * It carries no behaviour and is safe to ignore.
 *
 * <pre>{@code
 * @JvmOnly
 * public static Flow.Publisher<ChatChunk> toPublisher(ChatStream stream) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface JvmOnly {}
