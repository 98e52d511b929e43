package dev.banter.site;

/** Why the site cannot be built: the page, the line and what to fix. */
final class SiteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SiteException(String message) {
    super(message);
  }

  SiteException(String message, Throwable cause) {
    super(message, cause);
  }
}
