package dev.banter.openai.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A port on 127.0.0.1 where nothing listens, held until {@link #close()}: connecting to it is
 * refused (Linux answers the SYN with a reset), and nothing else can take the port meanwhile.
 * A port found free with {@code new ServerSocket(0)} and closed again may be reused by any other
 * socket before the test connects to it; this one stays bound (without listening) the whole time.
 *
 * <pre>{@code
 * try (RefusedPort dead = RefusedPort.reserve()) {
 *   ... point a client at dead.baseUrl(), expect "connection refused" ...
 * }
 * }</pre>
 */
public final class RefusedPort implements AutoCloseable {
  private final Socket socket;

  private RefusedPort(Socket socket) {
    this.socket = socket;
  }

  /** A free port, bound exclusively (no other socket may bind it until closed). */
  public static RefusedPort reserve() {
    return bind(0, false);
  }

  /**
   * Holds {@code port}, which a server just released: closed connections of that server may still
   * linger in TIME_WAIT on it, so the port is bound with SO_REUSEADDR (as a server started on it
   * after {@link #close()} binds it). Only another SO_REUSEADDR socket binding exactly this port
   * could share it; no bind to port 0 and no outgoing connection picks it.
   *
   * @throws UncheckedIOException if another socket holds the port
   */
  public static RefusedPort reserve(int port) {
    return bind(port, true);
  }

  private static RefusedPort bind(int port, boolean reuseAddress) {
    Socket s = new Socket();
    try {
      s.setReuseAddress(reuseAddress);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return new RefusedPort(s);
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("cannot reserve port " + port + " on 127.0.0.1", e);
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>/v1}, like {@link MockServer#baseUrl()}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
