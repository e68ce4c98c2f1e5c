package io.hyperinfer.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.DecodeException;
import io.hyperinfer.encoding.EncodingException;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.testkit.Vectors;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class MessageCodecsTest {
  private static final String CAPTURED = "/captured/dhtrpc/";
  private static final HexFormat HEX = HexFormat.of();
  private static final HostPort P49737 = new HostPort("127.0.0.1", 49737);
  private static final HostPort P49738 = new HostPort("127.0.0.1", 49738);
  private static final HostPort P49739 = new HostPort("127.0.0.1", 49739);
  private static final byte[] ID_49738 = Vectors.hex("/nodeId/127.0.0.1:49738");

  private static byte[] captured(String name) {
    return Vectors.hex(CAPTURED + name);
  }

  /** Every captured datagram decodes and re-encodes to the same bytes. */
  @Test
  void shouldReencodeEveryCapturedDatagramByteForByte() {
    var all = Vectors.protocol().at("/captured/dhtrpc");
    int n = 0;
    for (var e : all.properties()) {
      byte[] bytes = HEX.parseHex(e.getValue().asText());
      Message m = Message.decode(bytes);
      assertArrayEquals(bytes, m.encode(), e.getKey());
      n++;
    }
    assertEquals(15, n);
  }

  @Test
  void shouldEncodePingAsJsDoesWhenInternalWithoutId() {
    RequestMessage ping = new RequestMessage(0x9226, P49738, null, null, true, 0, null, null);
    assertArrayEquals(captured("PING request (internal, no id) 127.0.0.1:? -> 127.0.0.1:49738"), ping.encode());
  }

  @Test
  void shouldEncodePingNatWithPortValue() {
    RequestMessage m = new RequestMessage(0x9220, P49737, null, null, true, 1, null, new byte[] {0x4c, (byte) 0xc2});
    assertArrayEquals(captured("PING_NAT request (internal|value, value=uint16 port 49740)"), m.encode());
  }

  @Test
  void shouldDecodeFindNodeFromPersistentSenderWithIdAndTarget() {
    var m = (RequestMessage) Message.decode(captured("FIND_NODE request with id (persistent sender)"));
    assertEquals(P49737, m.to());
    assertArrayEquals(ID_49738, m.id());
    assertArrayEquals(ID_49738, m.target());
    assertTrue(m.internal());
    assertEquals(2, m.command());
    assertNull(m.token());
    assertNull(m.value());
    assertTrue(NodeId.matches(m.id(), P49738));
    assertFalse(NodeId.matches(m.id(), P49737));
  }

  @Test
  void shouldDecodeAnnounceWithTokenTargetAndValue() {
    var m = (RequestMessage) Message.decode(captured("ANNOUNCE request (token|target|value)"));
    assertFalse(m.internal());
    assertEquals(4, m.command());
    assertEquals(32, m.token().length);
    assertEquals(32, m.target().length);
    assertTrue(m.value().length > 64);
  }

  @Test
  void shouldEncodeResponsesAsJsDoes() {
    assertArrayEquals(captured("response flags=0 (empty reply, to=127.0.0.1:49738)"),
        new ResponseMessage(0xd173, P49738, null, null, List.of(), 0, null).encode());
    assertArrayEquals(captured("response with id + closerNodes[127.0.0.1:49739]"),
        new ResponseMessage(0x07b5, P49739, ID_49738, null, List.of(P49739), 0, null).encode());
    assertArrayEquals(captured("response from ephemeral node: closerNodes + error=1 (UNKNOWN_COMMAND)"),
        new ResponseMessage(0x9221, new HostPort("127.0.0.1", 47029), null, null, List.of(P49738, P49739), 1, null)
            .encode());
  }

  @Test
  void shouldDecodeFindPeerResponseWithEveryField() {
    var m = (ResponseMessage) Message.decode(
        captured("FIND_PEER response: id+token+closer+value(peer record 33B)"));
    assertEquals(32, m.id().length);
    assertEquals(32, m.token().length);
    assertEquals(List.of(P49738), m.closerNodes());
    assertEquals(0, m.error());
    assertEquals(33, m.value().length);
  }

  @Test
  void shouldKeepAnEmptyValueDistinctFromNone() {
    var m = new RequestMessage(1, P49737, null, null, false, 7, null, new byte[0]);
    byte[] bytes = m.encode();
    assertEquals(0x10, bytes[1]);
    assertArrayEquals(new byte[0], ((RequestMessage) Message.decode(bytes)).value());
    var r = new ResponseMessage(1, P49737, null, null, List.of(), 0, new byte[0]);
    assertArrayEquals(new byte[0], ((ResponseMessage) Message.decode(r.encode())).value());
  }

  @Test
  void shouldRoundTripLargeCommandsAndErrorsAsVarints() {
    var req = new RequestMessage(65535, P49737, ID_49738, ID_49738, false, 70_000, ID_49738, new byte[300]);
    var back = (RequestMessage) Message.decode(req.encode());
    assertEquals(70_000, back.command());
    assertEquals(65535, back.tid());
    assertEquals(300, back.value().length);
    var res = new ResponseMessage(0, P49737, null, ID_49738, List.of(), 1L << 40, null);
    assertEquals(1L << 40, ((ResponseMessage) Message.decode(res.encode())).error());
  }

  @Test
  void shouldIgnoreTrailingBytesAsJsDoes() {
    byte[] bytes = captured("PING request (internal, no id) 127.0.0.1:? -> 127.0.0.1:49738");
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 5);
    assertEquals(Message.decode(bytes).tid(), Message.decode(longer).tid());
  }

  @Test
  void shouldRejectInvalidRecordsWhenConstructed() {
    assertThrows(IllegalArgumentException.class, () -> new RequestMessage(-1, P49737, null, null, true, 0, null, null));
    assertThrows(IllegalArgumentException.class,
        () -> new RequestMessage(65536, P49737, null, null, true, 0, null, null));
    assertThrows(IllegalArgumentException.class,
        () -> new RequestMessage(1, P49737, new byte[31], null, true, 0, null, null));
    assertThrows(IllegalArgumentException.class, () -> new RequestMessage(1, P49737, null, null, true, -1, null, null));
    assertThrows(NullPointerException.class, () -> new RequestMessage(1, null, null, null, true, 0, null, null));
    assertThrows(IllegalArgumentException.class,
        () -> new ResponseMessage(1, P49737, null, new byte[33], List.of(), 0, null));
    assertThrows(IllegalArgumentException.class, () -> new ResponseMessage(1, P49737, null, null, List.of(), -2, null));
  }

  @Test
  void shouldRefuseToEncodeNonIpv4Addresses() {
    var m = new RequestMessage(1, new HostPort("::1", 5), null, null, true, 0, null, null);
    assertThrows(EncodingException.class, m::encode);
  }

  @Test
  void shouldRelayWithSameTidCommandAndTargetButNewDestination() {
    var m = (RequestMessage) Message.decode(
        captured("PEER_HANDSHAKE client->relay (mode FROM_CLIENT)"));
    var relayed = m.relayed(P49739, ID_49738, new byte[] {1});
    assertEquals(m.tid(), relayed.tid());
    assertEquals(m.command(), relayed.command());
    assertArrayEquals(m.target(), relayed.target());
    assertEquals(P49739, relayed.to());
    assertNull(relayed.token());
    assertArrayEquals(ID_49738, relayed.id());
  }

  @Test
  void shouldThrowDecodeExceptionWhenTruncated() {
    for (var it = Vectors.protocol().at("/captured/dhtrpc").elements(); it.hasNext(); ) {
      byte[] bytes = HEX.parseHex(it.next().asText());
      for (int n = 0; n < bytes.length; n++) {
        byte[] prefix = Arrays.copyOf(bytes, n);
        assertThrows(DecodeException.class, () -> Message.decode(prefix), "prefix " + n);
      }
    }
  }

  @Test
  void shouldRejectUnknownTypes() {
    assertThrows(DecodeException.class, () -> Message.decode(new byte[] {0x23, 0, 0, 0}));
    assertInstanceOf(RequestMessage.class, Message.decode(HEX.parseHex("03047856" + "7f00000149c2" + "00")));
  }

  @Tag("fuzz")
  @Test
  void shouldOnlyThrowDecodeExceptionsWhenFuzzed() {
    SplittableRandom random = Seeds.random("dht-message-codecs");
    List<byte[]> seeds = Vectors.protocol().at("/captured/dhtrpc").valueStream()
        .map(v -> HEX.parseHex(v.asText())).toList();
    int iterations = Seeds.fuzzIterations();
    int decoded = 0;
    for (int i = 0; i < iterations; i++) {
      byte[] input = i % 4 == 0 ? Seeds.bytes(random, random.nextInt(80))
          : mutate(seeds.get(random.nextInt(seeds.size())), random);
      if (i % 4 == 1 && input.length > 0) {
        input[0] = (byte) (random.nextBoolean() ? Message.REQUEST_TYPE : Message.RESPONSE_TYPE);
      }
      try {
        Message m = Message.decode(input);
        // whatever decodes must encode again and decode to the same fields
        assertEquals(m.tid(), Message.decode(m.encode()).tid());
        decoded++;
      } catch (DecodeException expected) {
        // a typed rejection is the contract
      }
    }
    assertTrue(decoded > 0, "some mutations must still decode");
  }

  private static byte[] mutate(byte[] seed, SplittableRandom random) {
    byte[] copy = Arrays.copyOf(seed, random.nextInt(seed.length + 1));
    for (int k = random.nextInt(4); k >= 0 && copy.length > 0; k--) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }
}
