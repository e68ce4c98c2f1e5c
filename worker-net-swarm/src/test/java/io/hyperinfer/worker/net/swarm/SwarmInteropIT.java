package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.JsDriver;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * D2-9: the worker network with a plain JS peer (hyperdht and @hyperswarm/rpc from interop/node_modules, nothing of
 * ours) on a loopback testnet. JS finds a Java worker by topic and calls it, plain and streaming; a Java worker finds
 * a JS responder by topic and calls it, and reads a JS handler's error code.
 */
@Timeout(180)
class SwarmInteropIT extends OnTestnet {
  private static JsDriver js;
  private static String jsKey;

  /** After the testnet started (a superclass's @BeforeAll runs first). */
  @BeforeAll
  static void jsPeer() {
    js = JsDriver.start("worker-net-swarm/src/test/js/topic-peer-driver.js");
    jsKey = js.ok("node", "bootstrap", addresses(net.bootstrap())).get("publicKey").asText();
  }

  @AfterAll
  static void closeJs() {
    if (js != null) {
      js.close();
    }
  }

  /** Where the Java worker's calls travel: {@code pool} here, {@code swarm} in {@link SwarmConnectionsInteropIT}. */
  protected String connections() {
    return "pool";
  }

  private SwarmNetFacility startWorker() {
    return peers.start(Ed25519.generate(), io.hyperinfer.worker.Config.empty(), "facs.net.connections=" + connections());
  }

  private static List<Map<String, Object>> addresses(List<HostPort> list) {
    return list.stream().map(a -> Map.<String, Object>of("host", a.host(), "port", a.port())).toList();
  }

  @Test
  void shouldAnswerJsPeerWhenItFindsJavaWorkerByTopic() throws Exception {
    SwarmNetFacility worker = startWorker();
    worker.respond("add", call -> IntNode.valueOf(call.payload().get("a").asInt() + call.payload().get("b").asInt()));
    worker.respond("whoami", call -> Json.object().put("caller", call.remote().hex()));
    worker.announce("interop-adder").get(10, TimeUnit.SECONDS);

    JsonNode sum = js.ok("topicRequest", "topic", "interop-adder", "method", "add", "payload", Map.of("a", 2, "b", 40));
    assertEquals(List.of(new PeerRef(worker.publicKey()).hex()), List.of(sum.get("announcers").get(0).asText()));
    assertEquals(42, sum.get("reply").asInt());
    JsonNode who = js.ok("topicRequest", "topic", "interop-adder", "method", "whoami", "payload", Map.of());
    assertEquals(jsKey, who.get("reply").get("caller").asText(), "the caller is the key the JS handshake proved");
    JsonNode unknown = js.ok("topicRequest", "topic", "interop-adder", "method", "nope", "payload", Map.of());
    assertEquals("REQUEST_ERROR", unknown.get("error").get("code").asText());
    assertEquals(NetException.ERR_UNKNOWN_METHOD, unknown.get("error").get("cause").get("code").asText());
  }

  @Test
  void shouldStreamChunksToJsPeerWhenItOpensAStream() throws Exception {
    SwarmNetFacility worker = startWorker();
    worker.respondStream("count", (call, sink) -> {
      for (int i = 0; i < call.payload().get("n").asInt(); i++) {
        sink.next(Json.object().put("i", i));
      }
      sink.end(Json.object().put("done", true));
    });
    JsonNode got = js.ok("stream", "publicKey", new PeerRef(worker.publicKey()).hex(), "method", "count",
        "payload", Map.of("n", 3), "stream", 7);
    JsonNode chunks = got.get("chunks");
    assertEquals(3, chunks.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(7, chunks.get(i).get("stream").asInt());
      assertEquals(i, chunks.get(i).get("seq").asInt());
      assertEquals(i, chunks.get(i).get("data").get("i").asInt());
    }
    JsonNode end = got.get("end");
    assertEquals(7, end.get("stream").asInt());
    assertEquals(3, end.get("chunks").asInt());
    assertEquals(true, end.get("value").get("done").asBoolean());
  }

  @Test
  void shouldCallJsResponderWhenJavaWorkerFindsItByTopic() throws Exception {
    String served = js.ok("serve", "topic", "interop-js").get("publicKey").asText();
    SwarmNetFacility worker = startWorker();
    JsonNode reply = worker.topicRequest("interop-js", "hello", Json.object().put("name", "java"))
        .get(30, TimeUnit.SECONDS);
    assertEquals("java", reply.get("hello").get("name").asText());
    assertEquals(new PeerRef(worker.publicKey()).hex(), reply.get("from").asText());
    assertEquals(List.of(new PeerRef(java.util.HexFormat.of().parseHex(served))),
        worker.lookup("interop-js", false).get(10, TimeUnit.SECONDS));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> worker.topicRequest("interop-js", "quota", null).get(30, TimeUnit.SECONDS));
    assertEquals("ERR_QUOTA", assertInstanceOf(NetException.class, e.getCause()).code());
  }
}
