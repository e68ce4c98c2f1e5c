package io.hyperinfer.client.openai.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A test client that speaks HTTP/1.1 by hand on 127.0.0.1, so tests can send what no well-behaved client sends (huge
 * heads, trickled bytes, lies about lengths) and read exactly what the server answers. Confined to the test thread.
 */
public final class RawClient implements AutoCloseable {
  /** A response as read: status, headers (names lower-cased) and body text. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to 127.0.0.1:{@code port}; reads give up after 60 s, a safety net only. */
  public static RawClient connect(int port) throws IOException {
    return connect(port, 0);
  }

  /** As {@link #connect(int)}, with a receive buffer of {@code receiveBuffer} bytes when above zero. */
  public static RawClient connect(int port, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    s.setSoTimeout(60_000);
    return new RawClient(s);
  }

  public void send(String ascii) throws IOException {
    send(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads one response (skipping a 100 Continue), its body framed by Content-Length, chunks or the connection end. */
  public Response read() throws IOException {
    while (true) {
      String status = line();
      Map<String, String> headers = new LinkedHashMap<>();
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
      }
      int code = Integer.parseInt(status.split(" ")[1]);
      if (code == 100) {
        continue;
      }
      return new Response(code, headers, body(headers));
    }
  }

  private String body(Map<String, String> headers) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else if ("chunked".equals(headers.get("transfer-encoding"))) {
      for (int n = Integer.parseInt(line(), 16); n > 0; n = Integer.parseInt(line(), 16)) {
        body.write(in.readNBytes(n));
        line();
      }
      line();
    } else {
      body.write(in.readAllBytes());
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("the server closed the connection; read so far: " + s);
      }
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return s.toString();
  }

  /** Whether the server has closed the connection: the next read ends (or is reset) rather than giving a byte. */
  public boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
