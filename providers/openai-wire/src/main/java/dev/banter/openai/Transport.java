package dev.banter.openai;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.GenerationTimeoutException;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Translates Vert.x and Netty transport failures, and reads bounded response bodies. */
final class Transport {
  private Transport() {}

  /** Whether the failure means the server could not be reached at all. */
  static boolean isConnectFailure(Throwable t) {
    return t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
        || t instanceof SSLException;
  }

  /**
   * The api exception for a transport failure.
   *
   * @param where the endpoint, for the message
   * @param phase what was going on, for example "before the response" or "after 3 chunks"
   */
  static BanterException map(Throwable t, String backendId, String where, String phase, Duration connectTimeout) {
    if (t instanceof BanterException exception) {
      return exception;
    }
    if (t instanceof ConnectTimeoutException) {
      return new GenerationTimeoutException("Backend '" + backendId + "': could not connect to " + where + " within "
          + connectTimeout.toMillis() + " ms (the 'connect-timeout' setting). Check that the server is up and"
          + " reachable.", backendId, GenerationTimeoutException.Phase.FIRST_TOKEN, connectTimeout);
    }
    if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
      return new BackendUnavailableException("Backend '" + backendId + "': cannot connect to " + where + " ("
          + describe(t) + "). Is the server running, and is 'base-url' right?", backendId, t);
    }
    if (t instanceof UnknownHostException) {
      return new BackendUnavailableException("Backend '" + backendId + "': unknown host in " + where
          + ". Check 'base-url'.", backendId, t);
    }
    if (t instanceof SSLException) {
      return new BackendUnavailableException("Backend '" + backendId + "': TLS with " + where + " failed ("
          + describe(t) + "). Check the URL's scheme and the server's certificate.", backendId, t);
    }
    if (t instanceof TimeoutException) {
      return new GenerationTimeoutException("Backend '" + backendId + "': " + where + " did not answer in time "
          + phase + ".", backendId, GenerationTimeoutException.Phase.FIRST_TOKEN, connectTimeout);
    }
    return new BackendUnavailableException("Backend '" + backendId + "': the connection to " + where + " failed "
        + phase + " (" + describe(t) + ").", backendId, t);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isEmpty() ? t.getClass().getSimpleName() : Json.excerpt(m, 200);
  }

  /**
   * The whole body of {@code response}, failing with {@link BodyTooLargeException} past
   * {@code limit} bytes (without buffering more).
   */
  static Future<Buffer> body(HttpClientResponse response, int limit, Runnable onBytes) {
    Promise<Buffer> promise = Promise.promise();
    Buffer collected = Buffer.buffer();
    boolean[] failed = {false};
    response.handler(b -> {
      if (failed[0]) {
        return;
      }
      if (onBytes != null) {
        onBytes.run();
      }
      if (collected.length() + b.length() > limit) {
        failed[0] = true;
        promise.tryFail(new BodyTooLargeException(limit));
        return;
      }
      collected.appendBuffer(b);
    });
    response.exceptionHandler(promise::tryFail);
    response.endHandler(v -> promise.tryComplete(collected));
    return promise.future();
  }

  /** A response body was larger than allowed. */
  static final class BodyTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int limit;

    BodyTooLargeException(int limit) {
      super("body larger than " + limit + " bytes", null, false, false);
      this.limit = limit;
    }
  }
}
