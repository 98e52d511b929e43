package dev.banter.core;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatResponse;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Calls every registered {@link ChatObserver}, logging and swallowing what they throw. */
final class Observers implements ChatObserver {
  private static final Logger LOG = Logger.getLogger(Observers.class.getName());

  private final List<ChatObserver> observers;

  Observers(List<ChatObserver> observers) {
    this.observers = List.copyOf(observers);
  }

  private void each(java.util.function.Consumer<ChatObserver> call) {
    for (ChatObserver o : observers) {
      try {
        call.accept(o);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "ChatObserver " + o.getClass().getName() + " threw; ignored", e);
      }
    }
  }

  @Override
  public void onRequest(RequestInfo request) {
    each(o -> o.onRequest(request));
  }

  @Override
  public void onRetry(RequestInfo request, String backendId, int attempt, Duration delay, BanterException cause) {
    each(o -> o.onRetry(request, backendId, attempt, delay, cause));
  }

  @Override
  public void onFallback(RequestInfo request, String fromBackend, String toBackend, BanterException cause) {
    each(o -> o.onFallback(request, fromBackend, toBackend, cause));
  }

  @Override
  public void onFirstToken(RequestInfo request, String backendId, Duration timeToFirstToken) {
    each(o -> o.onFirstToken(request, backendId, timeToFirstToken));
  }

  @Override
  public void onChunk(RequestInfo request, ChatChunk chunk) {
    if (!observers.isEmpty()) {
      each(o -> o.onChunk(request, chunk));
    }
  }

  @Override
  public void onComplete(RequestInfo request, ChatResponse response) {
    each(o -> o.onComplete(request, response));
  }

  @Override
  public void onError(RequestInfo request, BanterException error) {
    each(o -> o.onError(request, error));
  }
}
