package dev.banter.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Holds one of the server's chat slots with a request whose body never finishes arriving, and
 * calls the server until it refuses a request for want of a slot. A held request that reached
 * the server while a call was running is refused itself (429); it is then sent again.
 */
final class HeldSlot implements AutoCloseable {
  private final int port;
  private final String key;
  private Socket socket;

  HeldSlot(int port, String key) throws IOException {
    this.port = port;
    this.key = key;
    open();
  }

  private void open() throws IOException {
    socket = new Socket("127.0.0.1", port);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"messages\":")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Calls {@code call} until it throws {@code refusal}; returns that exception. */
  <E extends Exception> E untilRefused(Callable<?> call, Class<E> refusal) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      try {
        call.call();
      } catch (Exception e) {
        if (refusal.isInstance(e)) {
          return refusal.cast(e);
        }
        throw e;
      }
      if (socket.getInputStream().available() > 0) {
        socket.close();
        open();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the server never refused a call while its slot was held");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
