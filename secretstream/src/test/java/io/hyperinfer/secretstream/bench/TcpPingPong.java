package io.hyperinfer.secretstream.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The floor under every sequential request: bare 64-byte TCP round trips on 127.0.0.1 between two JVMs, no crypto
 * and no framing, read by a platform thread, a virtual thread, or a platform thread that polls before it blocks (as
 * {@code RawStream.of(socket, spin)} does). Prints round trips/s for three rounds.
 * Usage: {@code TcpPingPong <platform|virtual|spin:MICROS> [roundTrips=50000]}.
 */
public final class TcpPingPong {
  private static final int SIZE = 64;

  private TcpPingPong() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    if (args.length > 1 && args[1].equals("--echo")) {
      echo(mode);
      return;
    }
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    Process peer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), TcpPingPong.class.getName(), mode, "--echo")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    int port = Integer.parseInt(new BufferedReader(new InputStreamReader(peer.getInputStream(),
        StandardCharsets.UTF_8)).readLine());
    Thread client = thread(mode, () -> ping(mode, port, count));
    client.join();
    peer.destroy();
  }

  private static void ping(String mode, int port, int count) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] message = new byte[SIZE];
      byte[] reply = new byte[SIZE];
      long spin = spinNanos(mode);
      for (int round = 0; round < 3; round++) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
          out.write(message);
          for (int got = 0; got < SIZE; ) {
            got += read(in, reply, got, spin);
          }
        }
        System.out.printf("%s: %.0f round trips/s%n", mode, count / ((System.nanoTime() - start) / 1e9));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void echo(String mode) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      System.out.println(server.getLocalPort());
      System.out.flush();
      Socket socket = server.accept();
      socket.setTcpNoDelay(true);
      thread(mode, () -> {
        try (socket) {
          InputStream in = socket.getInputStream();
          OutputStream out = socket.getOutputStream();
          byte[] buffer = new byte[64 * 1024];
          long spin = spinNanos(mode);
          for (int n; (n = read(in, buffer, 0, spin)) > 0; ) {
            out.write(buffer, 0, n);
          }
        } catch (IOException e) {
          // the measuring side closed
        }
      }).join();
    }
  }

  private static int read(InputStream in, byte[] into, int offset, long spinNanos) throws IOException {
    long deadline = System.nanoTime() + spinNanos;
    while (spinNanos > 0 && in.available() == 0 && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    return in.read(into, offset, into.length - offset);
  }

  private static long spinNanos(String mode) {
    return mode.startsWith("spin:") ? Long.parseLong(mode.substring(5)) * 1000 : 0;
  }

  private static Thread thread(String mode, Runnable task) {
    return (mode.equals("virtual") ? Thread.ofVirtual() : Thread.ofPlatform()).start(task);
  }
}
