package io.hyperinfer.worker.net.spi;

import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An inbound request as a test builds it, byte for byte, recording what the machinery sends back. Thread-safe. */
final class RecordingExchange implements Transport.Exchange {
  final List<String> events = new CopyOnWriteArrayList<>();
  final CompletableFuture<String> outcome = new CompletableFuture<>();
  /** Runs as the reply leaves, before it is recorded: what a caller does the moment it has the reply. */
  volatile Runnable onReply = () -> {};
  /** What {@link #connectionOpen} answers: the default, a transport that cannot tell, is false. */
  volatile boolean connectionOpen;
  private final PeerRef remote;
  private final String method;
  private final byte[] payload;

  RecordingExchange(PeerRef remote, String method, byte[] payload) {
    this.remote = remote;
    this.method = method;
    this.payload = payload;
  }

  RecordingExchange(PeerRef remote, String method, String json) {
    this(remote, method, json.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public PeerRef remote() {
    return remote;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public byte[] payload() {
    return payload;
  }

  @Override
  public void respond(byte[] value) {
    onReply.run();
    if (!outcome.complete("ok " + new String(value, StandardCharsets.UTF_8))) {
      throw new AssertionError("second outcome: ok");
    }
  }

  @Override
  public void fail(NetException error) {
    onReply.run();
    if (!outcome.complete(error.code())) {
      throw new AssertionError("second outcome: " + error.code());
    }
  }

  @Override
  public boolean connectionOpen() {
    return connectionOpen;
  }

  @Override
  public void event(String eventMethod, byte[] value) {
    events.add(eventMethod + " " + Json.parse(value));
  }
}
