package io.hyperinfer.worker.ops;

import java.nio.charset.StandardCharsets;

/** One answer of the ops endpoint: status, content type and body. Immutable. */
record Response(int status, String contentType, byte[] body) {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";

  Response {
    body = body.clone();
  }

  static Response text(int status, String text) {
    return new Response(status, TEXT, (text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The whole response as sent: status line, headers ({@code Connection: close}) and, unless {@code head}, body. */
  byte[] encode(boolean head) {
    String lines = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
        + "Content-Type: " + contentType + "\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + (status == 405 ? "Allow: GET, HEAD\r\n" : "")
        + "Cache-Control: no-store\r\n"
        + "Connection: close\r\n\r\n";
    byte[] top = lines.getBytes(StandardCharsets.US_ASCII);
    if (head) {
      return top;
    }
    byte[] all = new byte[top.length + body.length];
    System.arraycopy(top, 0, all, 0, top.length);
    System.arraycopy(body, 0, all, top.length, body.length);
    return all;
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }
}
