package dev.banter.cli;

/** A usage error found after the arguments were parsed (exit code 2). */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
