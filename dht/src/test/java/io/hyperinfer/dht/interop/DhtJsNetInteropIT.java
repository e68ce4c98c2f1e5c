package io.hyperinfer.dht.interop;

import static io.hyperinfer.dht.interop.DhtJs.addr;
import static io.hyperinfer.dht.interop.DhtJs.bytes;
import static io.hyperinfer.dht.interop.DhtJs.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.dht.udx.UdxRuntime;
import io.hyperinfer.dht.wire.NodeId;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.JsDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Java nodes in a network of pinned JS dht-rpc nodes on 127.0.0.1 (HYPERDHT-NOTES D1-1, D1-2, D1-7): pings both ways,
 * a persistent Java node joining a JS testnet, INVALID_TOKEN and fresh tokens both ways.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DhtJsNetInteropIT {
  private static final int COMMAND = 33;
  private JsDriver js;
  private HostPort jsBootstrap;
  private final List<JsonNode> jsNodes = new ArrayList<>();
  private DhtNode javaPersistent;
  private DhtNode javaEphemeral;
  private final AtomicInteger javaHandled = new AtomicInteger();

  @BeforeAll
  void start() throws Exception {
    js = DhtJs.start();
    // as createTestnet: a first node without an id, then persistent nodes through it
    JsonNode first = js.ok("node", Map.of("name", "js0", "ephemeral", false, "firewalled", false));
    jsBootstrap = addr(first.get("address"));
    jsNodes.add(first);
    for (int i = 1; i < 5; i++) {
      jsNodes.add(js.ok("node", Map.of("name", "js" + i, "ephemeral", false, "firewalled", false,
          "bootstrap", List.of(addr(jsBootstrap)))));
    }
    js.ok("node", Map.of("name", "jsEphemeral", "ephemeral", true, "bootstrap", List.of(addr(jsBootstrap))));
    js.ok("serve", Map.of("name", "js2", "command", COMMAND));
    NodeOptions join = NodeOptions.DEFAULT.withBootstrap(List.of(jsBootstrap));
    javaPersistent = DhtNode.create(UdxRuntime.bind("127.0.0.1", 0), join.withMode(NodeOptions.Mode.PERSISTENT));
    javaEphemeral = DhtNode.create(UdxRuntime.bind("127.0.0.1", 0), join.withMode(NodeOptions.Mode.EPHEMERAL));
    javaPersistent.ready().get(30, TimeUnit.SECONDS);
    javaEphemeral.ready().get(30, TimeUnit.SECONDS);
    for (DhtNode n : List.of(javaPersistent, javaEphemeral)) {
      n.onRequest(req -> {
        if (req.command() != COMMAND) {
          return false;
        }
        javaHandled.incrementAndGet();
        req.reply(new byte[] {'j'});
        return true;
      });
    }
  }

  @AfterAll
  void stop() {
    if (javaPersistent != null) {
      javaPersistent.close();
      javaEphemeral.close();
    }
    if (js != null) {
      js.close();
    }
  }

  private HostPort jsAddress(int i) {
    return addr(jsNodes.get(i).get("address"));
  }

  @Test
  void shouldPingJsNodesAndSeeOurAddressAndTheirIdOnlyWhenPersistent() throws Exception {
    Response fromPersistent = javaEphemeral.ping(jsAddress(1)).get(10, TimeUnit.SECONDS);
    assertEquals(javaEphemeral.socket().localAddress(), fromPersistent.to(), "to = our sending socket as seen");
    assertArrayEquals(NodeId.of(jsAddress(1)), fromPersistent.from().id());
    Response fromFirst = javaPersistent.ping(jsBootstrap).get(10, TimeUnit.SECONDS);
    assertNull(fromFirst.from().id(), "createTestnet's first node has no id");
    assertEquals(javaPersistent.localAddress(), fromFirst.to());
    HostPort jsEphemeral = addr(js.ok("state", Map.of("name", "jsEphemeral")).get("address"));
    assertNull(javaPersistent.ping(jsEphemeral).get(10, TimeUnit.SECONDS).from().id());
  }

  @Test
  void shouldAnswerJsPingsWithTheirAddressAndOurIdOnlyWhenPersistent() {
    JsonNode r = js.ok("ping", Map.of("name", "js1", "to", addr(javaPersistent.localAddress())));
    assertEquals(jsAddress(1), addr(r.get("to")));
    assertEquals(hex(javaPersistent.id()), r.get("from").get("id").asText());
    JsonNode e = js.ok("ping", Map.of("name", "js1", "to", addr(javaEphemeral.localAddress())));
    assertTrue(e.get("from").get("id").isNull(), "an ephemeral Java node sends no id");
    assertTrue(e.get("token").isNull());
    assertTrue(e.get("closerNodes").isEmpty());
  }

  @Test
  void shouldJoinAJsTestnetAsAPersistentNodeThatJsTablesHold() {
    assertFalse(javaPersistent.ephemeral());
    assertArrayEquals(NodeId.of(javaPersistent.localAddress()), javaPersistent.id());
    for (int i = 1; i < 5; i++) {
      HostPort a = jsAddress(i);
      assertTrue(javaPersistent.nodes(100).stream().anyMatch(p -> p.sameAddress(a) && p.id() != null),
          "Java holds js" + i);
    }
    String javaId = hex(javaPersistent.id());
    Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
      for (int i = 1; i < 5; i++) {
        if (!js.ok("has", Map.of("name", "js" + i, "nodeId", javaId)).asBoolean()) {
          return false;
        }
      }
      return true;
    });
    JsonNode found = js.ok("findNode", Map.of("name", "js3", "target", javaId));
    assertEquals(javaId, found.get("closest").get(0).asText(), "JS queries visit the Java node");
  }

  @Test
  void shouldAnswerAJsRequestWithABadTokenWithInvalidTokenAndAFreshOne() {
    String bad = hex(new byte[32]);
    JsonNode r = js.ok("request", Map.of("name", "js1", "to", addr(javaPersistent.localAddress()),
        "command", COMMAND, "token", bad));
    assertEquals(2, r.get("error").asInt());
    assertNotNull(bytes(r.get("token")));
    int before = javaHandled.get();
    JsonNode again = js.ok("request", Map.of("name", "js1", "to", addr(javaPersistent.localAddress()),
        "command", COMMAND, "token", r.get("token").asText()));
    assertEquals(0, again.get("error").asInt());
    assertEquals("6a", again.get("value").asText());
    assertEquals(before + 1, javaHandled.get());
  }

  @Test
  void shouldGetInvalidTokenAndAFreshOneFromJs() throws Exception {
    HostPort to = jsAddress(2);
    Response bad = javaEphemeral.request(to, COMMAND, null, null, new byte[32], RequestOptions.DEFAULT)
        .get(10, TimeUnit.SECONDS);
    assertEquals(Response.INVALID_TOKEN, bad.error());
    assertNotNull(bad.token());
    Response good = javaEphemeral.request(to, COMMAND, null, null, bad.token(), RequestOptions.DEFAULT)
        .get(10, TimeUnit.SECONDS);
    assertEquals(Response.OK, good.error());
    assertArrayEquals("js".getBytes(), good.value());
    assertTrue(js.ok("commits", Map.of("name", "js2")).asInt() >= 1);
  }
}
