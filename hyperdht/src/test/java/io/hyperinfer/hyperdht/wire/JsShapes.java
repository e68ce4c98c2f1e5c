package io.hyperinfer.hyperdht.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every hyperdht message as JSON in the shape the JS decoders return (buffers as hex), both ways, so golden cases and
 * the JS oracle can be compared with Java records field by field.
 */
public final class JsShapes {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** One message type: its JS name, codec, and JSON mapping. */
  public record Type<T>(String name, Codec<T> codec, Function<JsonNode, T> fromJson, Function<T, JsonNode> toJson) {
    @SuppressWarnings("unchecked")
    public JsonNode json(Object value) {
      return toJson.apply((T) value);
    }
  }

  public static final Map<String, Type<?>> TYPES = new LinkedHashMap<>();

  static {
    add(new Type<>("handshake", Handshake.CODEC, JsShapes::handshake, JsShapes::handshake));
    add(new Type<>("holepunch", Holepunch.CODEC, JsShapes::holepunch, JsShapes::holepunch));
    add(new Type<>("noisePayload", NoisePayload.CODEC, JsShapes::noisePayload, JsShapes::noisePayload));
    add(new Type<>("holepunchPayload", HolepunchPayload.CODEC, JsShapes::holepunchPayload, JsShapes::holepunchPayload));
    add(new Type<>("peer", Peer.CODEC, JsShapes::peer, JsShapes::peer));
    add(new Type<>("peers", Peer.LIST, n -> list(n, JsShapes::peer), l -> array(l, JsShapes::peer)));
    add(new Type<>("lookupRawReply", LookupReply.CODEC, JsShapes::lookup, JsShapes::lookup));
    add(new Type<>("announce", Announce.CODEC, JsShapes::announce, JsShapes::announce));
    add(new Type<>("mutableSignable", MutableSignable.CODEC,
        n -> new MutableSignable(n.get("seq").asLong(), bytes(n.get("value"))),
        m -> obj("seq", F.numberNode(m.seq()), "value", hex(m.value()))));
    add(new Type<>("mutablePutRequest", MutablePutRequest.CODEC,
        n -> new MutablePutRequest(bytes(n.get("publicKey")), n.get("seq").asLong(), bytes(n.get("value")),
            bytes(n.get("signature"))),
        m -> obj("publicKey", hex(m.publicKey()), "seq", F.numberNode(m.seq()), "value", hex(m.value()),
            "signature", hex(m.signature()))));
    add(new Type<>("mutableGetResponse", MutableGetResponse.CODEC,
        n -> new MutableGetResponse(n.get("seq").asLong(), bytes(n.get("value")), bytes(n.get("signature"))),
        m -> obj("seq", F.numberNode(m.seq()), "value", hex(m.value()), "signature", hex(m.signature()))));
    add(new Type<>("pluginRequest", PluginRequest.CODEC,
        n -> new PluginRequest(n.get("plugin").asText(), n.get("version").asLong(), n.get("command").asLong(),
            bytes(n.get("value"))),
        m -> obj("plugin", F.textNode(m.plugin()), "version", F.numberNode(m.version()), "command",
            F.numberNode(m.command()), "value", hex(m.value()))));
    add(new Type<>("hyperdhtAddress", HyperDhtAddress.CODEC,
        n -> new HyperDhtAddress(bytes(n.get("key")), nullable(n.get("nodes"), x -> list(x, JsShapes::address))),
        m -> obj("key", hex(m.key()), "nodes", m.nodes() == null ? NullNode.instance : array(m.nodes(), JsShapes::address))));
  }

  private JsShapes() {}

  /** Whether two JSON trees are equal, numbers compared by value (JS ints and Java longs parse to different nodes). */
  public static boolean sameJson(JsonNode a, JsonNode b) {
    return a.equals((x, y) -> {
      if (x.isNumber() && y.isNumber()) {
        return x.decimalValue().compareTo(y.decimalValue()) == 0 ? 0 : 1;
      }
      return x.equals(y) ? 0 : 1;
    }, b);
  }

  private static void add(Type<?> type) {
    TYPES.put(type.name(), type);
  }

  static Handshake handshake(JsonNode n) {
    return new Handshake(mode(n), bytes(n.get("noise")), nullable(n.get("peerAddress"), JsShapes::address),
        nullable(n.get("relayAddress"), JsShapes::address));
  }

  static JsonNode handshake(Handshake m) {
    return obj("mode", F.numberNode(m.mode().wire()), "noise", hex(m.noise()), "peerAddress", address(m.peerAddress()),
        "relayAddress", address(m.relayAddress()));
  }

  static Holepunch holepunch(JsonNode n) {
    return new Holepunch(mode(n), n.get("id").asLong(), bytes(n.get("payload")),
        nullable(n.get("peerAddress"), JsShapes::address));
  }

  static JsonNode holepunch(Holepunch m) {
    return obj("mode", F.numberNode(m.mode().wire()), "id", F.numberNode(m.id()), "payload", hex(m.payload()),
        "peerAddress", address(m.peerAddress()));
  }

  static NoisePayload noisePayload(JsonNode n) {
    long version = n.path("version").asLong(1);
    if (version != 1) {
      return NoisePayload.ofVersion(version);
    }
    return new NoisePayload(1, n.get("error").asLong(), n.get("firewall").asLong(),
        nullable(n.get("holepunch"), h -> new HolepunchInfo(h.get("id").asLong(), list(h.get("relays"),
            r -> new HolepunchInfo.RelayInfo(address(r.get("relayAddress")), address(r.get("peerAddress")))))),
        list(n.get("addresses4"), JsShapes::address), list(n.get("addresses6"), JsShapes::address),
        nullable(n.get("udx"), u -> new UdxInfo(u.path("version").asLong(1), u.get("reusableSocket").asBoolean(),
            u.get("id").asLong(), u.get("seq").asLong())),
        nullable(n.get("secretStream"), s -> new SecretStreamInfo(s.path("version").asLong(1))),
        nullable(n.get("relayThrough"), r -> new RelayThroughInfo(r.path("version").asLong(1),
            bytes(r.get("publicKey")), bytes(r.get("token")))),
        nullable(n.get("relayAddresses"), a -> list(a, JsShapes::address)));
  }

  static JsonNode noisePayload(NoisePayload m) {
    JsonNode holepunch = m.holepunch() == null ? NullNode.instance : obj("id", F.numberNode(m.holepunch().id()),
        "relays", array(m.holepunch().relays(), r -> obj("relayAddress", address(r.relayAddress()), "peerAddress",
            address(r.peerAddress()))));
    JsonNode udx = m.udx() == null ? NullNode.instance : obj("version", F.numberNode(m.udx().version()),
        "reusableSocket", F.booleanNode(m.udx().reusableSocket()), "id", F.numberNode(m.udx().id()), "seq",
        F.numberNode(m.udx().seq()));
    JsonNode secretStream = m.secretStream() == null ? NullNode.instance
        : obj("version", F.numberNode(m.secretStream().version()));
    JsonNode relayThrough = m.relayThrough() == null ? NullNode.instance : obj("version",
        F.numberNode(m.relayThrough().version()), "publicKey", hex(m.relayThrough().publicKey()), "token",
        hex(m.relayThrough().token()));
    return obj("version", F.numberNode(m.version()), "error", F.numberNode(m.error()), "firewall",
        F.numberNode(m.firewall()), "holepunch", holepunch, "addresses4", array(m.addresses4(), JsShapes::address),
        "addresses6", array(m.addresses6(), JsShapes::address), "udx", udx, "secretStream", secretStream,
        "relayThrough", relayThrough, "relayAddresses",
        m.relayAddresses() == null ? NullNode.instance : array(m.relayAddresses(), JsShapes::address));
  }

  static HolepunchPayload holepunchPayload(JsonNode n) {
    return new HolepunchPayload(n.get("error").asLong(), n.get("firewall").asLong(), n.get("round").asLong(),
        n.path("connected").asBoolean(), n.path("punching").asBoolean(),
        nullable(n.get("addresses"), a -> list(a, JsShapes::address)),
        nullable(n.get("remoteAddress"), JsShapes::address), bytes(n.get("token")), bytes(n.get("remoteToken")));
  }

  static JsonNode holepunchPayload(HolepunchPayload m) {
    return obj("error", F.numberNode(m.error()), "firewall", F.numberNode(m.firewall()), "round",
        F.numberNode(m.round()), "connected", F.booleanNode(m.connected()), "punching", F.booleanNode(m.punching()),
        "addresses", m.addresses() == null ? NullNode.instance : array(m.addresses(), JsShapes::address),
        "remoteAddress", address(m.remoteAddress()), "token", hex(m.token()), "remoteToken", hex(m.remoteToken()));
  }

  static Peer peer(JsonNode n) {
    return new Peer(bytes(n.get("publicKey")), list(n.get("relayAddresses"), JsShapes::address));
  }

  static JsonNode peer(Peer m) {
    return obj("publicKey", hex(m.publicKey()), "relayAddresses", array(m.relayAddresses(), JsShapes::address));
  }

  static LookupReply lookup(JsonNode n) {
    return new LookupReply(list(n.get("peers"), JsShapes::peer), n.get("bump").asLong());
  }

  static JsonNode lookup(LookupReply m) {
    return obj("peers", array(m.peers(), JsShapes::peer), "bump", F.numberNode(m.bump()));
  }

  public static Announce announce(JsonNode n) {
    return new Announce(nullable(n.get("peer"), JsShapes::peer), bytes(n.get("refresh")), bytes(n.get("signature")),
        n.path("bump").asLong(0));
  }

  static JsonNode announce(Announce m) {
    return obj("peer", m.peer() == null ? NullNode.instance : peer(m.peer()), "refresh", hex(m.refresh()),
        "signature", hex(m.signature()), "bump", F.numberNode(m.bump()));
  }

  static HostPort address(JsonNode n) {
    return new HostPort(n.get("host").asText(), n.get("port").asInt());
  }

  static JsonNode address(HostPort a) {
    return a == null ? NullNode.instance : obj("host", F.textNode(a.host()), "port", F.numberNode(a.port()));
  }

  private static RouteMode mode(JsonNode n) {
    return RouteMode.values()[n.get("mode").asInt()];
  }

  static byte[] bytes(JsonNode n) {
    return n == null || n.isNull() ? null : HEX.parseHex(n.asText());
  }

  static JsonNode hex(byte[] b) {
    return b == null ? NullNode.instance : F.textNode(HEX.formatHex(b));
  }

  private static <T> T nullable(JsonNode n, Function<JsonNode, T> f) {
    return n == null || n.isNull() ? null : f.apply(n);
  }

  private static <T> List<T> list(JsonNode n, Function<JsonNode, T> f) {
    List<T> out = new ArrayList<>();
    if (n != null) {
      n.forEach(x -> out.add(f.apply(x)));
    }
    return out;
  }

  private static <T> ArrayNode array(List<T> items, Function<T, JsonNode> f) {
    ArrayNode a = F.arrayNode();
    items.forEach(x -> a.add(f.apply(x)));
    return a;
  }

  private static ObjectNode obj(Object... kv) {
    ObjectNode o = F.objectNode();
    for (int i = 0; i < kv.length; i += 2) {
      o.set((String) kv[i], (JsonNode) kv[i + 1]);
    }
    return o;
  }
}
