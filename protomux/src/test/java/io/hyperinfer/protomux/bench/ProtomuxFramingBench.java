package io.hyperinfer.protomux.bench;

import io.hyperinfer.encoding.Compact;
import io.hyperinfer.protomux.Channel;
import io.hyperinfer.protomux.ChannelListener;
import io.hyperinfer.protomux.Message;
import io.hyperinfer.protomux.MessageTransport;
import io.hyperinfer.protomux.Protomux;

/**
 * Protomux framing throughput: one mux encodes channel messages, a second decodes and dispatches them, joined in
 * memory on one thread (no crypto, no I/O). Prints payload MB/s for 64 B, 1 KiB and 64 KiB messages, single and
 * corked into batches. Usage: {@code ProtomuxFramingBench [megabytesPerRun=512]}.
 */
public final class ProtomuxFramingBench {
  private ProtomuxFramingBench() {}

  private static final class Wire implements MessageTransport {
    Protomux peer;

    @Override
    public boolean send(byte[] message) {
      peer.receive(message);
      return true;
    }

    @Override
    public void close(Throwable cause) {}
  }

  public static void main(String[] args) {
    long budget = (args.length > 0 ? Long.parseLong(args[0]) : 512) << 20;
    Wire aToB = new Wire();
    Wire bToA = new Wire();
    Protomux a = new Protomux(aToB);
    Protomux b = new Protomux(bToA);
    aToB.peer = b;
    bToA.peer = a;
    long[] received = new long[1];
    b.pair("bench", null, (mux, protocol, id) -> {
      Channel receiver = mux.createChannel(protocol, id, new ChannelListener() { });
      receiver.addMessage(Compact.RAW, (payload, ch) -> received[0] += payload.length);
      receiver.open(null);
    });
    Channel sender = a.createChannel("bench", null, new ChannelListener() { });
    Message<byte[]> raw = sender.addMessage(Compact.RAW, null);
    sender.open(null);
    for (int round = 0; round < 2; round++) {
      for (int size : new int[] {64, 1024, 64 * 1024}) {
        for (boolean corked : new boolean[] {false, true}) {
          byte[] payload = new byte[size];
          long count = budget / size;
          received[0] = 0;
          long start = System.nanoTime();
          for (long i = 0; i < count; i++) {
            if (corked && i % 64 == 0) {
              sender.cork();
            }
            raw.send(payload);
            if (corked && (i % 64 == 63 || i == count - 1)) {
              sender.uncork();
            }
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          if (round == 1) {
            System.out.printf("%6d B %-8s %10.0f MB/s %12.0f msg/s%n", size, corked ? "batched" : "single",
                received[0] / seconds / 1e6, count / seconds);
          }
        }
      }
    }
  }
}
