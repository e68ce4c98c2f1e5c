package io.hyperinfer.udx.bench;

import io.hyperinfer.udx.StreamListener;
import io.hyperinfer.udx.UdxStream;
import java.util.concurrent.CompletableFuture;

/** The measured loops shared by the benchmark scenarios. */
final class Transfer {
  private Transfer() {}

  /** Writes {@code bytes} on {@code from}, reads them on {@code to}; MB/s from first write to last byte read. */
  static double run(UdxStream from, UdxStream to, int bytes) throws Exception {
    CompletableFuture<Long> reader = new CompletableFuture<>();
    Thread.startVirtualThread(() -> reader.complete(drain(to, bytes)));
    long start = System.nanoTime();
    writeBulk(from, bytes);
    reader.get();
    return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
  }

  static void writeBulk(UdxStream stream, int bytes) {
    byte[] chunk = new byte[1 << 16];
    for (int sent = 0; sent < bytes; sent += chunk.length) {
      stream.write(chunk, 0, Math.min(chunk.length, bytes - sent));
    }
  }

  static long drain(UdxStream stream, long bytes) {
    long got = 0;
    while (got < bytes) {
      byte[] chunk = stream.read();
      if (chunk == null) {
        break;
      }
      got += chunk.length;
    }
    return got;
  }

  /**
   * 64-byte messages echoed one at a time with every byte handled on the loop thread, as JS handles them on its
   * event loop: the listener of {@code stream} writes the next message when the echo of the last one is in. Round
   * trips per second.
   */
  static double pingPongOnLoop(UdxStream stream, int count) {
    byte[] message = new byte[64];
    CompletableFuture<Long> done = new CompletableFuture<>();
    long start = System.nanoTime();
    stream.listener(new StreamListener() {
      private int received;
      private int echoes;

      @Override
      public void onData(UdxStream s, byte[] data) {
        received += data.length;
        while (received >= message.length) {
          received -= message.length;
          if (++echoes == count) {
            done.complete(System.nanoTime());
            return;
          }
          s.write(message);
        }
      }
    });
    stream.write(message);
    return count / ((done.join() - start) / 1e9);
  }

  /** Makes {@code stream} write back every byte it receives, from its loop thread. */
  static void echoOnLoop(UdxStream stream) {
    stream.listener((s, data) -> s.write(data));
  }

  /** 64-byte messages echoed one at a time; round trips per second. */
  static double pingPong(UdxStream stream, int count) {
    byte[] message = new byte[64];
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      stream.write(message);
      drain(stream, 64);
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }
}
