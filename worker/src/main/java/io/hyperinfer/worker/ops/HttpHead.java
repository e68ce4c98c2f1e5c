package io.hyperinfer.worker.ops;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The request line and headers of one HTTP/1.x request, parsed from at most {@code maxBytes} bytes: hostile-input
 * code, so every length is checked and anything unexpected is a {@link Malformed}. Only what the ops endpoint and the
 * client's OpenAI endpoint need is kept: method, path (query dropped), version and at most {@value #MAX_HEADERS}
 * headers (names lower-cased; a repeated header's values joined by ", ", so two Content-Lengths never parse as one).
 * Immutable.
 */
public record HttpHead(String method, String path, String version, Map<String, String> headers) {
  public static final int MAX_HEADERS = 32;
  private static final int MAX_METHOD = 16;

  /** The request is not one this endpoint can read; the server answers 400. */
  public static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** Where the head ends in {@code buf[0, len)}: the index after the blank line, or -1 when it has not arrived. */
  public static int headEnd(byte[] buf, int len) {
    return headEnd(buf, 0, len);
  }

  /**
   * As {@link #headEnd(byte[], int)}, knowing that {@code buf[0, scanned)} held no end: a head trickled a byte at a
   * time is scanned once in all, not once per byte.
   */
  public static int headEnd(byte[] buf, int scanned, int len) {
    for (int i = Math.max(0, scanned - 3); i + 1 < len; i++) {
      if (buf[i] == '\n' && buf[i + 1] == '\n') {
        return i + 2;
      }
      if (i + 3 < len && buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  /** Parses the head in {@code buf[0, end)}, where {@code end} came from {@link #headEnd}. */
  public static HttpHead parse(byte[] buf, int end) throws Malformed {
    for (int i = 0; i < end; i++) {
      byte b = buf[i];
      if (b < 0 || (b < 0x20 && b != '\r' && b != '\n' && b != '\t') || b == 0x7f) {
        throw new Malformed("control or non-ASCII byte in the request head");
      }
    }
    String[] lines = new String(buf, 0, end, StandardCharsets.US_ASCII).split("\r?\n");
    if (lines.length == 0 || lines[0].isEmpty()) {
      throw new Malformed("no request line");
    }
    String[] parts = lines[0].split(" ", -1);
    if (parts.length != 3) {
      throw new Malformed("the request line is not METHOD TARGET VERSION");
    }
    String method = parts[0];
    if (method.isEmpty() || method.length() > MAX_METHOD || !method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
      throw new Malformed("bad method");
    }
    String target = parts[1];
    if (!target.startsWith("/")) {
      throw new Malformed("the target is not an origin-form path");
    }
    if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
      throw new Malformed("unsupported version");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (lines.length - 1 > MAX_HEADERS) {
      throw new Malformed("more than " + MAX_HEADERS + " headers");
    }
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new Malformed("bad header line");
      }
      headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
          (first, next) -> first + ", " + next);
    }
    int query = target.indexOf('?');
    return new HttpHead(method, query < 0 ? target : target.substring(0, query), parts[2], Map.copyOf(headers));
  }

  /** Whether the request announces a body, which no route of the endpoint takes. */
  public boolean hasBody() {
    String length = headers.get("content-length");
    return headers.containsKey("transfer-encoding") || (length != null && !length.equals("0"));
  }
}
