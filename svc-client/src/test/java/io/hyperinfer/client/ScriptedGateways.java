package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.RequestOptions;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The gateways a client's unit test sees through its net facility: lookups of the gateway topic, request replies and
 * infer streams as the test scripts them; records every request and stream the client sends. Anything else the
 * client asks of the net fails the test. Confined to the test's thread.
 */
final class ScriptedGateways {
  private final Map<Boolean, List<List<PeerRef>>> found = new HashMap<>();
  private final Map<Boolean, Integer> looked = new HashMap<>();
  private final Map<String, CompletableFuture<JsonNode>> replies = new HashMap<>();
  private final Map<String, StreamCall> calls = new HashMap<>();
  private final List<String> asked = new ArrayList<>();
  private final Map<String, List<StreamListener>> streams = new HashMap<>();
  private final NetFacility net = (NetFacility) Proxy.newProxyInstance(NetFacility.class.getClassLoader(),
      new Class<?>[] {NetFacility.class}, (proxy, method, args) -> switch (method.getName()) {
        case "lookup" -> lookup((String) args[0], (Boolean) args[1]);
        case "request" -> request((byte[]) args[0], (String) args[1], (RequestOptions) args[3]);
        case "requestStream" -> requestStream((byte[]) args[0], (String) args[1], (StreamListener) args[3]);
        default -> throw new UnsupportedOperationException("not scripted: " + method);
      });

  NetFacility net() {
    return net;
  }

  /**
   * What the next lookup of the gateway topic finds, from the cache or fresh: each call scripts one more lookup, and
   * the last one scripted answers every lookup after it.
   */
  ScriptedGateways found(boolean cached, PeerRef... gateways) {
    found.computeIfAbsent(cached, c -> new ArrayList<>()).add(List.of(gateways));
    return this;
  }

  /** The reply {@code gateway} gives to {@code method} sent with {@code options}. */
  void reply(PeerRef gateway, String method, RequestOptions options, CompletableFuture<JsonNode> reply) {
    replies.put(key(gateway.publicKey(), method) + " " + options, reply);
  }

  /** The call a stream opened to {@code gateway} returns. */
  void stream(PeerRef gateway, StreamCall call) {
    calls.put(hex(gateway.publicKey()), call);
  }

  /** Whether any request or stream went to any gateway. */
  boolean askedAny() {
    return !asked.isEmpty();
  }

  /** Whether any request or stream went to {@code gateway}. */
  boolean asked(PeerRef gateway) {
    String hex = hex(gateway.publicKey());
    return asked.stream().anyMatch(k -> k.startsWith(hex + " "));
  }

  /** The listener of the one infer stream opened to {@code gateway} (attempts run on the test's thread). */
  StreamListener opened(PeerRef gateway) {
    List<StreamListener> opened = streams.getOrDefault(key(gateway.publicKey(), NetworkNames.INFER), List.of());
    assertEquals(1, opened.size(), "infer streams opened to the gateway");
    return opened.getFirst();
  }

  private CompletableFuture<List<PeerRef>> lookup(String topic, boolean cached) {
    assertEquals(GatewayFinder.TOPIC, topic);
    List<List<PeerRef>> answers = found.get(cached);
    if (answers == null) {
      throw new AssertionError("lookup not scripted (cached=" + cached + ")");
    }
    int turn = looked.merge(cached, 1, Integer::sum) - 1;
    return CompletableFuture.completedFuture(answers.get(Math.min(turn, answers.size() - 1)));
  }

  private CompletableFuture<JsonNode> request(byte[] gateway, String method, RequestOptions options) {
    asked.add(key(gateway, method));
    CompletableFuture<JsonNode> reply = replies.get(key(gateway, method) + " " + options);
    if (reply == null) {
      throw new AssertionError("reply not scripted: " + key(gateway, method) + " " + options);
    }
    return reply;
  }

  private StreamCall requestStream(byte[] gateway, String method, StreamListener listener) {
    asked.add(key(gateway, method));
    streams.computeIfAbsent(key(gateway, method), k -> new ArrayList<>()).add(listener);
    StreamCall call = calls.get(hex(gateway));
    if (call == null) {
      throw new AssertionError("stream not scripted: " + key(gateway, method));
    }
    return call;
  }

  private static String key(byte[] gateway, String method) {
    return hex(gateway) + " " + method;
  }

  private static String hex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }

  /** A stream call that counts its cancels. */
  static final class Call implements StreamCall {
    int cancels;

    @Override
    public void cancel() {
      cancels++;
    }

    @Override
    public CompletableFuture<JsonNode> done() {
      return new CompletableFuture<>();
    }
  }
}
