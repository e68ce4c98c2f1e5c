package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.hyperdht.wire.MutableGetResponse;
import io.hyperinfer.hyperdht.wire.MutablePutRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Mutable and immutable values on a simulated network ({@code index.js mutablePut/Get, immutablePut/Get} against
 * {@code lib/persistent.js}): storage, the seq rules and their error codes, checks on what is read back, refresh.
 */
class HyperDhtValuesTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldReadBackAnImmutableValueWhenPut() {
    SimNet net = new SimNet(11, 8);
    HyperDht writer = net.testnet.createNode();
    HyperDht reader = net.testnet.createNode();

    PutResult put = net.await(writer.immutablePut(utf8("hello")));

    assertArrayEquals(HyperDhtCrypto.hash(utf8("hello")), put.target());
    assertEquals(8, put.stored());
    assertEquals(8, put.closestNodes().size());
    ImmutableValue got = net.await(reader.immutableGet(put.target())).orElseThrow();
    assertArrayEquals(utf8("hello"), got.value());
    assertNotNull(got.from().id());
    assertEquals(Optional.empty(), net.await(reader.immutableGet(HyperDhtCrypto.hash(utf8("nothing")))));
  }

  @Test
  void shouldDropAnImmutablePutWhoseValueDoesNotHashToTheTarget() {
    SimNet net = new SimNet(12, 5);
    HyperDht client = net.testnet.createNode();
    HyperDht storing = net.testnet.nodes().get(2);
    byte[] target = HyperDhtCrypto.hash(utf8("a"));
    Response get = net.await(client.node().request(storing.localAddress(), Command.IMMUTABLE_GET.id(), target, null,
        null, RequestOptions.DEFAULT));

    Throwable silent = net.failure(client.node().request(storing.localAddress(), Command.IMMUTABLE_PUT.id(), target,
        utf8("b"), get.token(), RequestOptions.DEFAULT.withRetry(false)));

    assertEquals(DhtException.Code.REQUEST_TIMEOUT, assertInstanceOf(DhtException.class, silent).code());
    assertEquals(1L, storing.stats().drops().get(DropReason.TARGET_MISMATCH));
  }

  @Test
  void shouldKeepTheHighestSeqAndRefuseReusedOrLowerSeqsWhenPutAgain() {
    SimNet net = new SimNet(13, 8);
    HyperDht client = net.testnet.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair();
    PutResult first = net.await(client.mutablePut(keys, utf8("v2"), 2));
    assertEquals(8, first.stored());
    assertTrue(Signatures.verifyMutable(first.signature(), 2, utf8("v2"), keys.publicKey()));

    HyperDhtException reused = assertInstanceOf(HyperDhtException.class,
        net.failure(client.mutablePut(keys, utf8("other"), 2)));
    assertEquals(HyperDhtException.Code.SEQ_REUSED, reused.code());
    HyperDhtException tooLow = assertInstanceOf(HyperDhtException.class,
        net.failure(client.mutablePut(keys, utf8("v1"), 1)));
    assertEquals(HyperDhtException.Code.SEQ_TOO_LOW, tooLow.code());
    assertEquals(8, net.await(client.mutablePut(keys, utf8("v2"), 2)).stored(), "the same value again is fine");

    MutableValue latest = net.await(client.mutableGet(keys.publicKey())).orElseThrow();
    assertEquals(2, latest.seq());
    assertArrayEquals(utf8("v2"), latest.value());
    net.await(client.mutablePut(keys, utf8("v3"), 3));
    assertEquals(3, net.await(client.mutableGet(keys.publicKey())).orElseThrow().seq());
  }

  @Test
  void shouldAnswerSeqErrorsWithCloserNodesWhenAskedDirectly() {
    SimNet net = new SimNet(14, 5);
    HyperDht client = net.testnet.createNode();
    HyperDht storing = net.testnet.nodes().get(1);
    KeyPair keys = HyperDhtCrypto.keyPair();
    byte[] target = HyperDhtCrypto.hash(keys.publicKey());
    net.await(client.mutablePut(keys, utf8("five"), 5));
    Response get = net.await(client.node().request(storing.localAddress(), Command.MUTABLE_GET.id(), target,
        Compact.encode(Compact.UINT, 0L), null, RequestOptions.DEFAULT));
    MutableGetResponse stored = Compact.decode(MutableGetResponse.CODEC, get.value());
    assertEquals(5, stored.seq());

    byte[] lower = Compact.encode(MutablePutRequest.CODEC,
        new MutablePutRequest(keys.publicKey(), 4, utf8("four"), Signatures.signMutable(4, utf8("four"), keys)));
    Response refused = net.await(client.node().request(storing.localAddress(), Command.MUTABLE_PUT.id(), target,
        lower, get.token(), RequestOptions.DEFAULT));
    assertEquals(PeerError.SEQ_TOO_LOW, refused.error());
    assertTrue(!refused.closerNodes().isEmpty());
    assertEquals(null, refused.token(), "errors carry no token");
  }

  @Test
  void shouldOnlyAcceptValuesAtOrAboveTheAskedSeqAndStopAtTheFirstWhenNotLatest() {
    SimNet net = new SimNet(15, 6);
    HyperDht client = net.testnet.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair();
    net.await(client.mutablePut(keys, utf8("seven"), 7));

    assertEquals(Optional.empty(), net.await(client.mutableGet(keys.publicKey(),
        new MutableGetOptions(8, true, null, QueryOptions.DEFAULT))));
    MutableValue first = net.await(client.mutableGet(keys.publicKey(),
        new MutableGetOptions(7, false, null, QueryOptions.DEFAULT))).orElseThrow();
    assertEquals(7, first.seq());
    assertArrayEquals(utf8("seven"), first.value());
  }

  /** A value put on a network, and a close node that joined after the put (so it does not hold the value). */
  private record LateJoiner(SimNet net, HyperDht client, KeyPair keys, byte[] target, HyperDht newcomer) {
    static LateJoiner create() {
      SimNet net = new SimNet(16, 6);
      HyperDht client = net.testnet.createNode();
      KeyPair keys = HyperDhtCrypto.keyPair();
      net.await(client.mutablePut(keys, utf8("kept"), 1));
      return new LateJoiner(net, client, keys, HyperDhtCrypto.hash(keys.publicKey()),
          net.testnet.addPersistent(o -> o));
    }

    Response atNewcomer() {
      return mutableAt(net, client, newcomer, target);
    }
  }

  @Test
  void shouldPutTheValueOnANewCloseNodeWhenReadWithRefresh() {
    LateJoiner l = LateJoiner.create();
    assertEquals(null, l.atNewcomer().value(), "joined after the put");

    l.net().await(l.client().mutableGet(l.keys().publicKey(), new MutableGetOptions(0, true, v -> true,
        QueryOptions.DEFAULT)));

    MutableGetResponse now = Compact.decode(MutableGetResponse.CODEC, l.atNewcomer().value());
    assertArrayEquals(utf8("kept"), now.value());
  }

  @Test
  void shouldNotPutTheValueAgainWhenTheRefreshRuleDeclinesIt() {
    LateJoiner l = LateJoiner.create();
    List<Long> asked = new ArrayList<>();

    MutableValue read = l.net().await(l.client().mutableGet(l.keys().publicKey(), new MutableGetOptions(0, true, v -> {
      asked.add(v.seq());
      return false;
    }, QueryOptions.DEFAULT))).orElseThrow();

    assertArrayEquals(utf8("kept"), read.value());
    assertFalse(asked.isEmpty(), "the rule was asked about the value read");
    assertEquals(null, l.atNewcomer().value(), "nothing was put on the newcomer");
  }

  private static Response mutableAt(SimNet net, HyperDht client, HyperDht at, byte[] target) {
    return net.await(client.node().request(at.localAddress(), Command.MUTABLE_GET.id(), target,
        Compact.encode(Compact.UINT, 0L), null, RequestOptions.DEFAULT));
  }
}
